import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignVerdict, DEFAULT_VERDICT_WEIGHTS, logit, type CampaignEvidence } from './verdict';

const w = DEFAULT_VERDICT_WEIGHTS;
const none = { longNumber: false, shortCode: false, alphanumeric: false, allowlisted: false };
const noLinks = { shortener: false, newDomain: false, legitimateDomain: false, unlistedDomain: false };
const base: CampaignEvidence = {
  modelLogit: 0,
  spamCategory: 'marketing',
  reporters: 1,
  operators: 1,
  earlyReporters: 1,
  senders: none,
  links: noLinks,
  lure: false,
  feedback: { blockingOperators: 0, disputingOperators: 0 },
};
/** The classifier sure the text is genuine: far below its clip. */
const confidentHam = logit(0.001);

describe('campaign verdict from all the evidence', () => {
  it('follows the classifier when one subscriber reports', () => {
    expect(campaignVerdict({ ...base, modelLogit: logit(0.9) }, w)).toMatchObject({ spam: true, category: 'marketing' });
    expect(campaignVerdict({ ...base, modelLogit: logit(0.1) }, w)).toMatchObject({ spam: false, category: 'not_spam' });
  });

  it('calls spam what five subscribers on two operators report, whatever the classifier says, slowly and from a short code too', () => {
    for (const senders of [none, { ...none, shortCode: true }, { ...none, alphanumeric: true }]) {
      for (const earlyReporters of [1, 5]) {
        const v = campaignVerdict({ ...base, modelLogit: confidentHam, reporters: 5, operators: 2, earlyReporters, senders }, w);
        expect(v.spam).toBe(true);
        expect(v.probability).toBeGreaterThan(0.6);
      }
    }
  });

  it('does not call spam a one-time code that three subscribers on two operators forward at once from a long number', () => {
    const v = campaignVerdict(
      { ...base, modelLogit: confidentHam, reporters: 3, operators: 2, earlyReporters: 3, senders: { ...none, longNumber: true } },
      w,
    );
    expect(v.spam).toBe(false);
  });

  it('does not call spam a notice the classifier calls genuine, reported by two subscribers on two operators', () => {
    expect(
      campaignVerdict(
        { ...base, modelLogit: logit(0.1), reporters: 2, operators: 2, earlyReporters: 2, senders: { ...none, longNumber: true } },
        w,
      ).spam,
    ).toBe(false);
  });

  it('lets an allowlisted sender or a legitimate domain outweigh a handful of reporters', () => {
    const reported = { ...base, modelLogit: logit(0.7), reporters: 3, operators: 2, earlyReporters: 3 };
    expect(campaignVerdict(reported, w).spam).toBe(true);
    expect(campaignVerdict({ ...reported, senders: { ...none, alphanumeric: true, allowlisted: true } }, w).spam).toBe(false);
    expect(campaignVerdict({ ...reported, links: { ...noLinks, legitimateDomain: true } }, w).spam).toBe(false);
  });

  it('sees through a spoofed sender ID: an allowlisted sender linking to a domain not on the allowlist is no protection', () => {
    const spoofed = { ...base, modelLogit: logit(0.9), lure: true, senders: { ...none, alphanumeric: true, allowlisted: true } };
    expect(campaignVerdict(spoofed, w).spam).toBe(false);
    expect(campaignVerdict({ ...spoofed, links: { ...noLinks, newDomain: true, unlistedDomain: true } }, w).spam).toBe(true);
    expect(campaignVerdict({ ...spoofed, links: { ...noLinks, legitimateDomain: true } }, w).spam).toBe(false);
  });

  it('is raised by shorteners, new domains, lures and blocking operators, and lowered by false positives', () => {
    const p = (e: Partial<CampaignEvidence>) => campaignVerdict({ ...base, ...e }, w).probability;
    const plain = p({});
    expect(p({ links: { ...noLinks, shortener: true } })).toBeGreaterThan(plain);
    expect(p({ links: { ...noLinks, newDomain: true } })).toBeGreaterThan(plain);
    expect(p({ lure: true })).toBeGreaterThan(plain);
    expect(p({ feedback: { blockingOperators: 2, disputingOperators: 0 } })).toBeGreaterThan(
      p({ feedback: { blockingOperators: 1, disputingOperators: 0 } }),
    );
    expect(p({ feedback: { blockingOperators: 0, disputingOperators: 2 } })).toBeLessThan(plain);
  });

  it('withdraws a crowd-found campaign when two operators report a false positive, but not for one operator alone', () => {
    const crowd = { ...base, modelLogit: confidentHam, reporters: 5, operators: 2, earlyReporters: 5 };
    expect(campaignVerdict(crowd, w).spam).toBe(true);
    expect(campaignVerdict({ ...crowd, feedback: { blockingOperators: 0, disputingOperators: 1 } }, w).spam).toBe(true);
    expect(campaignVerdict({ ...crowd, feedback: { blockingOperators: 0, disputingOperators: 2 } }, w).spam).toBe(false);
  });

  it('writes down each term, and the log-odds are their sum', () => {
    const v = campaignVerdict(
      { ...base, modelLogit: 1, reporters: 3, operators: 2, lure: true, senders: { ...none, longNumber: true } },
      w,
    );
    expect(Object.keys(v.terms).sort()).toEqual(['lure', 'model', 'operators', 'reporters', 'sender']);
    expect(v.logOdds).toBeCloseTo(
      Object.values(v.terms).reduce((a, b) => a + b, 0),
      2,
    );
    expect(v.probability).toBeCloseTo(1 / (1 + Math.exp(-v.logOdds)), 3);
  });

  it('stays a probability whatever it is given', () => {
    for (const odd of [{ modelLogit: Number.NaN }, { modelLogit: Infinity }, { reporters: -4 }, { reporters: 1e9, operators: 1e9 }]) {
      const v = campaignVerdict({ ...base, ...odd }, w);
      expect(v.probability).toBeGreaterThanOrEqual(0);
      expect(v.probability).toBeLessThanOrEqual(1);
    }
  });
});

describe('docs/INTELLIGENCE.md', () => {
  it('gives every weight of the verdict with its default', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'INTELLIGENCE.md'), 'utf8');
    for (const [name, value] of Object.entries(DEFAULT_VERDICT_WEIGHTS)) {
      expect(doc).toMatch(new RegExp(`\\| \`${name}\` \\| ${String(value).replace('-', '−')} \\|`));
    }
  });
});
