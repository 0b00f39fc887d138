import type { SenderKind } from '@srs/core';
import { BACKGROUND_SENDER_IDS, FRENCH_PERSONAL, FRENCH_SPAM, NOTICES } from './background';
import { CAMPAIGNS, NAMES, type CampaignSpec, type SenderSpec } from './campaigns';
import { blockSize, numberAt, SENDER_BLOCKS, senderNumber, SHORT_CODES } from './numbers';
import { DEMO_OPERATORS, type DemoOperator } from './operators';
import { createRandom, type Random } from './random';
import { backgroundDays, campaignDays, demoWindow, drawTime, type DemoWindow } from './timing';

/**
 * The demo's reports, worked out in advance and without I/O: which operator's
 * subscriber reports which text, from which sender, when, and through which
 * channel. The same options give the same plan, so runs are reproducible.
 */

export interface CorpusMessage {
  label: 'spam' | 'ham';
  text: string;
}

/** The shipped corpus samples: English (UCI) and Indonesian. */
export interface DemoCorpus {
  en: readonly CorpusMessage[];
  id: readonly CorpusMessage[];
}

export type ReportKind = 'campaign' | 'spam' | 'ham';

export interface DemoReport {
  /** the report's id at the intake, the same for the same seed and size: sending twice files once */
  id: string;
  operatorId: string;
  /** the app API, or an SMS conversation through Kannel (the text, then the sender) */
  channel: 'app' | 'kannel';
  /** the reporting subscriber: E.164 for the app API, digits as Kannel gives them */
  reporter: string;
  /** the sender as the app API takes it: E.164, a sender ID or a short code */
  sender: string;
  senderKind: SenderKind;
  /** the sender as a subscriber types it in an SMS: national numbers in the national form */
  senderTyped: string;
  text: string;
  receivedAt: Date;
  kind: ReportKind;
  campaign?: string;
}

export interface DemoPlanOptions {
  seed: string;
  reports: number;
  days: number;
  now: Date;
  corpus: DemoCorpus;
  operators?: readonly DemoOperator[];
  campaigns?: readonly CampaignSpec[];
  /** the intake's own operator, whose subscribers may also report by SMS through Kannel, and the share that do */
  kannel?: { operatorId: string; share: number };
}

/** Shares of the reports: campaigns, and legitimate messages reported by mistake; the rest is one-off spam. */
export const MIX = { campaign: 0.55, ham: 0.12 } as const;
/** Fewer reports per subscriber than the intake's per-minute limit (10 by default), so none is throttled. */
export const MAX_REPORTS_PER_REPORTER = 8;

interface Draft {
  operator: DemoOperator;
  kind: ReportKind;
  campaign?: string;
  text: string;
  sender: { kind: SenderKind; value: string };
  receivedAt: Date;
}

export function planDemo(options: DemoPlanOptions): DemoReport[] {
  const operators = options.operators ?? DEMO_OPERATORS;
  if (!Number.isInteger(options.reports) || options.reports < 1) throw new RangeError('reports: a whole number above 0');
  if (!Number.isInteger(options.days) || options.days < 1) throw new RangeError('days: a whole number above 0');
  const random = createRandom(`srs-demo/${options.seed}`);
  const window = demoWindow(options.now, options.days);
  const campaigns = (options.campaigns ?? CAMPAIGNS).filter((c) =>
    Object.keys(c.operators).some((id) => operators.some((o) => o.id === id)),
  );
  const campaignCount = campaigns.length ? Math.round(options.reports * MIX.campaign) : 0;
  const hamCount = Math.round(options.reports * MIX.ham);
  const spamCount = options.reports - campaignCount - hamCount;

  const drafts = [
    ...campaignDrafts(random.fork('campaigns'), window, operators, campaigns, campaignCount),
    ...backgroundDrafts(random.fork('background'), window, operators, options.corpus, spamCount, hamCount),
  ].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());

  const reporters = reporterPicker(random.fork('reporters'), operators, drafts);
  const kannel = kannelPicker(random.fork('kannel'), operators, options.kannel);
  const prefix = `demo-${options.seed.replace(/[^A-Za-z0-9]+/g, '').slice(0, 20) || 'seed'}-${options.reports}`;
  return drafts.map((draft, i) => {
    const viaKannel = kannel(draft);
    return {
      id: `${prefix}-${String(i).padStart(6, '0')}`,
      operatorId: draft.operator.id,
      channel: viaKannel ? 'kannel' : 'app',
      reporter: viaKannel ?? reporters(draft.operator),
      sender: draft.sender.value,
      senderKind: draft.sender.kind,
      senderTyped: draft.sender.kind === 'msisdn' ? nationalForm(draft.sender.value, draft.operator.country) : draft.sender.value,
      text: draft.text,
      receivedAt: draft.receivedAt,
      kind: draft.kind,
      ...(draft.campaign ? { campaign: draft.campaign } : {}),
    };
  });
}

function campaignDrafts(
  random: Random,
  window: DemoWindow,
  operators: readonly DemoOperator[],
  campaigns: readonly CampaignSpec[],
  total: number,
): Draft[] {
  const drafts: Draft[] = [];
  const counts = apportion(
    total,
    campaigns.map((c) => c.weight),
  );
  campaigns.forEach((campaign, c) => {
    const own = random.fork(campaign.id);
    const senders = campaign.senders.flatMap((spec) => materialise(own, spec));
    const reach = operators.filter((o) => (campaign.operators[o.id] ?? 0) > 0);
    const days = campaignDays(window, campaign.start, campaign.length);
    for (let i = 0; i < counts[c]!; i++) {
      const operator = own.weighted(reach, (o) => campaign.operators[o.id]!);
      const receivedAt = drawTime(own, window, days, operator.utcOffset);
      const sender = own.weighted(senders, (s) => s.weight);
      drafts.push({
        operator,
        kind: 'campaign',
        campaign: campaign.id,
        text: fill(own, campaign, receivedAt),
        sender: sender.sender,
        receivedAt,
      });
    }
  });
  return drafts;
}

/** A campaign's senders: each number spec becomes `count` numbers that the campaign rotates through. */
function materialise(random: Random, spec: SenderSpec): Array<{ sender: Draft['sender']; weight: number }> {
  if ('alphanumeric' in spec) return [{ sender: { kind: 'alphanumeric', value: spec.alphanumeric }, weight: spec.weight }];
  if ('shortCode' in spec) return [{ sender: { kind: 'short_code', value: spec.shortCode }, weight: spec.weight }];
  return Array.from({ length: spec.count }, () => ({
    sender: { kind: 'msisdn' as const, value: senderNumber(spec.msisdn, random) },
    weight: spec.weight / spec.count,
  }));
}

/** One variant of a campaign's text: its slots filled for this report. */
export function fill(random: Random, campaign: CampaignSpec, receivedAt: Date): string {
  const text = random.pick(campaign.texts);
  const due = new Date(receivedAt.getTime() + 2 * 86_400_000);
  return text
    .replace('{url}', () => random.pick(campaign.urls ?? ['']))
    .replace(/\{code\}/g, () => trackingCode(random))
    .replace('{amount}', () => random.pick(campaign.amounts ?? ['']))
    .replace('{brand}', () => random.pick(campaign.brands ?? ['']))
    .replace('{phone}', () => random.pick(campaign.phones ?? ['']))
    .replace('{name}', () => random.pick(NAMES[campaign.language]))
    .replace('{date}', () => `${pad(due.getUTCDate())}/${pad(due.getUTCMonth() + 1)}`);
}

/** Letters and digits, both, as parcel and case references are written. */
function trackingCode(random: Random): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const chars = Array.from({ length: 7 }, (_, i) => (i % 3 === 1 ? String(random.int(0, 9)) : random.pick([...letters])));
  return chars.join('');
}

function backgroundDrafts(
  random: Random,
  window: DemoWindow,
  operators: readonly DemoOperator[],
  corpus: DemoCorpus,
  spamCount: number,
  hamCount: number,
): Draft[] {
  const texts = backgroundTexts(random, corpus);
  const senderOf = new Map<string, Draft['sender']>();
  const days = backgroundDays(window);
  const drafts: Draft[] = [];
  for (let i = 0; i < spamCount + hamCount; i++) {
    const kind: ReportKind = i < spamCount ? 'spam' : 'ham';
    const operator = random.weighted(operators, (o) => o.weight);
    const receivedAt = drawTime(random, window, days, operator.utcOffset);
    if (kind === 'spam') {
      const text = texts.spam(operator.language);
      // The same spam comes from the same sender whoever reports it.
      const sender = senderOf.get(text) ?? spamSender(random, text, operator.country);
      senderOf.set(text, sender);
      drafts.push({ operator, kind, text, sender, receivedAt });
    } else {
      drafts.push({ operator, kind, receivedAt, ...mistaken(random, texts, operator) });
    }
  }
  return drafts;
}

/** Background texts by language; spam drawn with a long tail, so a few texts are reported many times. */
function backgroundTexts(random: Random, corpus: DemoCorpus) {
  const shuffled = (list: readonly string[]) => random.shuffle(list);
  const enSpam = shuffled(corpus.en.filter((m) => m.label === 'spam').map((m) => m.text));
  const idSpam = shuffled(corpus.id.filter((m) => m.label === 'spam').map((m) => m.text));
  const frSpam = shuffled(FRENCH_SPAM);
  const skewed = (list: readonly string[]) => list[Math.floor(random.next() ** 1.8 * list.length)];
  return {
    spam: (language: DemoOperator['language']): string => {
      if (language === 'id' && idSpam.length) return skewed(idSpam)!;
      if (language === 'fr' && (random.chance(0.7) || !enSpam.length)) return skewed(frSpam)!;
      return skewed(enSpam) ?? skewed(frSpam)!;
    },
    enHam: corpus.en.filter((m) => m.label === 'ham').map((m) => m.text),
    idHam: corpus.id.filter((m) => m.label === 'ham').map((m) => m.text),
  };
}

/** A legitimate message reported by mistake: a notice with its sender ID, or a personal text from a number. */
function mistaken(random: Random, texts: ReturnType<typeof backgroundTexts>, operator: DemoOperator): Pick<Draft, 'text' | 'sender'> {
  const personal = { en: texts.enHam, fr: FRENCH_PERSONAL, id: texts.idHam }[operator.language];
  if (personal.length && random.chance(operator.language === 'fr' ? 0.5 : 0.7)) {
    const from = SENDER_BLOCKS[operator.country] ? senderNumber(operator.country, random) : senderNumber('GB', random);
    return { text: random.pick(personal), sender: { kind: 'msisdn', value: from } };
  }
  const notice = random.pick(NOTICES[operator.language]);
  return { text: notice.text, sender: { kind: 'alphanumeric', value: notice.sender } };
}

/**
 * Who sent a one-off spam: the short code its text asks to reply to, when it
 * names one ("Text WIN to 80082"), else a number, a sender ID or a short code.
 */
export function spamSender(random: Random, text: string, country: string): Draft['sender'] {
  const named = /\b(?:text|txt|send|reply|sms|to)\b[^0-9]{0,20}\b([6-8][0-9]{4})\b/i.exec(text)?.[1];
  if (named) return { kind: 'short_code', value: named };
  const r = random.next();
  if (r < 0.5 && SENDER_BLOCKS[country]) return { kind: 'msisdn', value: senderNumber(country, random) };
  if (r < 0.8) return { kind: 'alphanumeric', value: random.pick(BACKGROUND_SENDER_IDS) };
  return { kind: 'short_code', value: random.pick(SHORT_CODES[country] ?? SHORT_CODES.GB!) };
}

/**
 * Each operator's subscribers: a pool about the size of its reports, a few of
 * them reporting often (people who report spam keep doing it), none more than
 * MAX_REPORTS_PER_REPORTER times.
 */
function reporterPicker(random: Random, operators: readonly DemoOperator[], drafts: readonly Draft[]): (operator: DemoOperator) => string {
  const state = new Map<string, { pool: number; frequent: number; used: Map<number, number>; offset: number }>();
  for (const operator of operators) {
    const reports = drafts.filter((d) => d.operator.id === operator.id).length;
    const pool = Math.min(blockSize(operator.reporters), Math.max(10, Math.ceil(reports * 0.7)));
    state.set(operator.id, { pool, frequent: Math.max(1, Math.round(pool * 0.04)), used: new Map(), offset: random.int(0, 2 ** 31) });
  }
  return (operator) => {
    const s = state.get(operator.id)!;
    let index = -1;
    for (let attempt = 0; attempt < 20 && index < 0; attempt++) {
      const candidate = random.chance(0.2) ? random.int(0, s.frequent - 1) : random.int(0, s.pool - 1);
      if ((s.used.get(candidate) ?? 0) < MAX_REPORTS_PER_REPORTER) index = candidate;
    }
    // A crowded pool: the first subscriber with room, or one more subscriber.
    if (index < 0) {
      index = Array.from({ length: s.pool }, (_, i) => i).find((i) => (s.used.get(i) ?? 0) < MAX_REPORTS_PER_REPORTER) ?? s.pool;
      if (index === s.pool) s.pool = Math.min(s.pool + 1, blockSize(operator.reporters));
    }
    s.used.set(index, (s.used.get(index) ?? 0) + 1);
    return numberAt(operator.reporters, Math.min(index, blockSize(operator.reporters) - 1), s.offset);
  };
}

/**
 * Which reports of the intake's own operator go through Kannel: campaign
 * texts, which no parser mistakes for a keyword or a sender, each from a
 * subscriber of its own among the fictional numbers, so that no two
 * conversations interleave.
 */
function kannelPicker(
  random: Random,
  operators: readonly DemoOperator[],
  kannel: DemoPlanOptions['kannel'],
): (draft: Draft) => string | undefined {
  const operator = kannel && operators.find((o) => o.id === kannel.operatorId);
  const block = operator?.kannelReporters;
  if (!kannel || !block || kannel.share <= 0) return () => undefined;
  const offset = random.int(0, 2 ** 31);
  let next = 0;
  return (draft) => {
    if (draft.operator.id !== kannel.operatorId || draft.kind !== 'campaign') return undefined;
    if (next >= blockSize(block) || !random.chance(kannel.share)) return undefined;
    return numberAt(block, next++, offset);
  };
}

/** "+442079460123" in the UK → "02079460123": how subscribers copy a number from their own country. */
export function nationalForm(e164: string, country: string): string {
  const code = CALLING_CODES[country];
  return code && e164.startsWith(`+${code}`) ? `0${e164.slice(code.length + 1)}` : e164;
}

const CALLING_CODES: Readonly<Record<string, string>> = { GB: '44', FR: '33', ID: '62' };

/** Whole numbers in proportion to the weights, adding up to total (largest remainders). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map((x) => Math.floor(x));
  const left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ rest: x - Math.floor(x), i })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order.slice(0, left)) counts[i] = counts[i]! + 1;
  return counts;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
