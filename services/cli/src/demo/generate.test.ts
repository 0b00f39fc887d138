import { classify } from '@srs/classifier';
import {
  analyseMessage,
  assignCampaigns,
  campaignVerdict,
  DEFAULT_VERDICT_WEIGHTS,
  logit,
  NEAR_DUPLICATE_MAX_DISTANCE,
  parseSender,
  simhashBands,
} from '@srs/core';
import { CAMPAIGNS } from './campaigns';
import { loadDemoCorpus } from './corpus';
import { apportion, fill, MAX_REPORTS_PER_REPORTER, MIX, nationalForm, planDemo, spamSender, type DemoPlanOptions } from './generate';
import { DEMO_OPERATORS } from './operators';
import { createRandom } from './random';
import { describePlan } from './summary';

const corpus = loadDemoCorpus();
const now = new Date('2026-11-24T17:30:00Z');
const options: DemoPlanOptions = { seed: '7726', reports: 1500, days: 28, now, corpus, kannel: { operatorId: 'demo-uk', share: 0.1 } };
const plan = planDemo(options);
const DAY = 86_400_000;

describe('demo plan', () => {
  it('is the same for the same options, and another for another seed', () => {
    expect(planDemo(options)).toEqual(plan);
    const other = planDemo({ ...options, seed: 'other' });
    expect(other.map((r) => r.text)).not.toEqual(plan.map((r) => r.text));
    expect(new Set(other.map((r) => r.id)).has(plan[0]!.id)).toBe(false);
  });

  it('has the reports asked for, with unique ids, in time order', () => {
    expect(plan).toHaveLength(1500);
    expect(new Set(plan.map((r) => r.id)).size).toBe(1500);
    const times = plan.map((r) => r.receivedAt.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('mixes campaigns, one-off spam and legitimate messages reported by mistake', () => {
    const kinds = (k: string) => plan.filter((r) => r.kind === k).length;
    expect(kinds('campaign')).toBe(Math.round(1500 * MIX.campaign));
    expect(kinds('ham')).toBe(Math.round(1500 * MIX.ham));
    expect(kinds('spam')).toBe(1500 - kinds('campaign') - kinds('ham'));
  });

  it("comes from every operator's subscribers, each country's in its own numbers", () => {
    for (const op of DEMO_OPERATORS) {
      const own = plan.filter((r) => r.operatorId === op.id && r.channel === 'app');
      expect(own.length).toBeGreaterThan(100);
      expect(own.every((r) => r.reporter.startsWith(op.reporters.prefix))).toBe(true);
    }
  });

  it('has many distinct reporters, none reporting more often than the intake allows', () => {
    const perReporter = new Map<string, number>();
    for (const r of plan) perReporter.set(r.reporter, (perReporter.get(r.reporter) ?? 0) + 1);
    expect(perReporter.size).toBeGreaterThan(600);
    expect(Math.max(...perReporter.values())).toBeLessThanOrEqual(MAX_REPORTS_PER_REPORTER);
    // some subscribers report again and again
    expect([...perReporter.values()].filter((n) => n >= 4).length).toBeGreaterThan(5);
  });

  it('has long numbers from several countries, short codes and sender IDs, each one the intake reads as such', () => {
    const kinds = new Set(plan.map((r) => r.senderKind));
    expect(kinds).toEqual(new Set(['msisdn', 'short_code', 'alphanumeric']));
    const prefixes = new Set(plan.filter((r) => r.senderKind === 'msisdn').map((r) => r.sender.slice(0, 3)));
    for (const cc of ['+44', '+33', '+23', '+91', '+62', '+1']) expect([...prefixes].some((p) => p.startsWith(cc))).toBe(true);
    for (const r of plan) {
      const country = DEMO_OPERATORS.find((o) => o.id === r.operatorId)!.country;
      expect({ id: r.id, sender: parseSender(r.sender, 'GB') }).toMatchObject({
        id: r.id,
        sender: { kind: r.senderKind, value: r.sender },
      });
      expect(parseSender(r.senderTyped, country)).toMatchObject({ kind: r.senderKind, value: r.sender });
    }
  });

  it('sends each campaign to many subscribers, several across networks, and repeats senders and links', () => {
    const campaigns = new Map<string, typeof plan>();
    for (const r of plan) if (r.campaign) campaigns.set(r.campaign, [...(campaigns.get(r.campaign) ?? []), r]);
    expect(campaigns.size).toBe(CAMPAIGNS.length);
    for (const [id, reports] of campaigns) {
      expect({ id, reporters: new Set(reports.map((r) => r.reporter)).size >= 10 }).toEqual({ id, reporters: true });
    }
    const crossNetwork = [...campaigns.values()].filter((reports) => new Set(reports.map((r) => r.operatorId)).size >= 2);
    expect(crossNetwork.length).toBeGreaterThanOrEqual(8);
    const sender = new Map<string, number>();
    for (const r of plan.filter((x) => x.campaign === 'parcel-fee-gb')) sender.set(r.sender, (sender.get(r.sender) ?? 0) + 1);
    expect(Math.max(...sender.values())).toBeGreaterThanOrEqual(5);
    expect(plan.filter((r) => r.text.includes('https://bit.ly/')).length).toBeGreaterThanOrEqual(20);
  });

  it('varies a campaign mostly where the worker masks it, so that each wording clusters', () => {
    for (const campaign of CAMPAIGNS) {
      const random = createRandom(campaign.id);
      const items = Array.from({ length: 80 }, () => analyseMessage(fill(random, campaign, now), { defaultCountry: 'GB' }, classify));
      const clusters = new Map<number, number>();
      for (const a of assignCampaigns(items, [], NEAR_DUPLICATE_MAX_DISTANCE, (h) => simhashBands(h))) {
        if (a.kind === 'new') clusters.set(a.key, (clusters.get(a.key) ?? 0) + 1);
      }
      // each wording is a cluster of its own; so is each brand, which is not masked
      const wordings = campaign.texts.length * (campaign.brands?.length ?? 1);
      const largest = [...clusters.values()]
        .sort((a, b) => b - a)
        .slice(0, wordings)
        .reduce((a, b) => a + b, 0);
      expect({ id: campaign.id, clustered: largest / items.length >= 0.9 }).toEqual({ id: campaign.id, clustered: true });
    }
  });

  it('writes campaign texts that three subscribers of one operator make spam', () => {
    const none = { longNumber: false, shortCode: false, alphanumeric: false, allowlisted: false };
    for (const campaign of CAMPAIGNS) {
      const random = createRandom(`spam-${campaign.id}`);
      for (let i = 0; i < 4; i++) {
        const text = fill(random, campaign, now);
        const { classification: c, indicators } = analyseMessage(text, { defaultCountry: 'GB' }, classify);
        const shortener = indicators.some((x) => x.shortener);
        const verdict = campaignVerdict(
          {
            modelLogit: logit(c.probability),
            spamCategory: c.spamCategory,
            reporters: 3,
            operators: 1,
            earlyReporters: 1,
            senders: none,
            links: { shortener, newDomain: false, legitimateDomain: false, unlistedDomain: indicators.some((x) => x.type === 'domain') },
            lure: c.lure,
            feedback: { blockingOperators: 0, disputingOperators: 0 },
          },
          DEFAULT_VERDICT_WEIGHTS,
        );
        expect({ text, spam: verdict.spam }).toEqual({ text, spam: true });
      }
    }
  });

  it('spreads reports over the days asked for, never after now, quieter at night and at weekends', () => {
    const first = Date.UTC(2026, 9, 28);
    expect(plan.every((r) => r.receivedAt.getTime() >= first && r.receivedAt.getTime() < now.getTime())).toBe(true);
    const days = new Set(plan.map((r) => Math.floor(r.receivedAt.getTime() / DAY)));
    expect(days.size).toBe(28);
    const british = plan.filter((r) => r.operatorId.startsWith('demo-uk'));
    const hour = (h: number) => british.filter((r) => r.receivedAt.getUTCHours() === h).length;
    expect(hour(3)).toBeLessThan(hour(12) / 5);
    const big = planDemo({ ...options, reports: 6000 });
    const perDay = (weekday: number[]) => {
      const some = big.filter((r) => !r.campaign && weekday.includes(r.receivedAt.getUTCDay()));
      return some.length / new Set(some.map((r) => Math.floor(r.receivedAt.getTime() / DAY))).size;
    };
    expect(perDay([0, 6])).toBeLessThan(perDay([1, 2, 3, 4]) * 0.85);
  });

  it('sends a share of the intake operator’s campaign reports through Kannel, each from a fictional number of its own', () => {
    const kannel = plan.filter((r) => r.channel === 'kannel');
    expect(kannel.length).toBeGreaterThan(10);
    expect(kannel.every((r) => r.operatorId === 'demo-uk' && r.kind === 'campaign' && /^447700900\d{3}$/.test(r.reporter))).toBe(true);
    expect(new Set(kannel.map((r) => r.reporter)).size).toBe(kannel.length);
    expect(planDemo({ ...options, kannel: { operatorId: 'demo-uk', share: 0 } }).some((r) => r.channel === 'kannel')).toBe(false);
    expect(planDemo({ ...options, kannel: { operatorId: 'demo-id', share: 1 } }).some((r) => r.channel === 'kannel')).toBe(false);
  });

  it('describes itself without a reporter number', () => {
    const text = describePlan(plan).join('\n');
    expect(text).toMatch(/operators: .*demo-uk \d+/);
    expect(text).toMatch(/in 14 campaigns/);
    for (const r of plan) expect(text).not.toContain(r.reporter.replace('+', ''));
  });

  it('refuses a plan of nothing', () => {
    expect(() => planDemo({ ...options, reports: 0 })).toThrow(RangeError);
    expect(() => planDemo({ ...options, days: 0 })).toThrow(RangeError);
  });

  it('works for a handful of reports over one day', () => {
    const small = planDemo({ ...options, reports: 5, days: 1 });
    expect(small).toHaveLength(5);
    expect(small.every((r) => r.receivedAt.getTime() >= Date.UTC(2026, 10, 24) && r.receivedAt < now)).toBe(true);
  });
});

describe('demo plan helpers', () => {
  it('apportions whole numbers in proportion, adding up', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [14, 0, 6]).reduce((a, b) => a + b)).toBe(7);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });

  it('takes the short code a spam asks to text as its sender', () => {
    const random = createRandom('s');
    expect(spamSender(random, 'Free entry in 2 a wkly comp. Text FA to 87121 to receive entry', 'GB')).toEqual({
      kind: 'short_code',
      value: '87121',
    });
    const others = Array.from({ length: 60 }, () => spamSender(random, 'You have won! Call 09061701461 now', 'GB').kind);
    expect(new Set(others)).toEqual(new Set(['msisdn', 'alphanumeric', 'short_code']));
  });

  it("writes numbers of the operator's own country in national form", () => {
    expect(nationalForm('+442079460123', 'GB')).toBe('02079460123');
    expect(nationalForm('+33639981234', 'FR')).toBe('0639981234');
    expect(nationalForm('+2348099990123', 'GB')).toBe('+2348099990123');
  });
});
