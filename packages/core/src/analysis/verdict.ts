/**
 * A campaign's verdict from all the evidence: a sum of log-odds, one term per
 * kind of evidence, turned into a probability by the logistic function. Each
 * term is the log of a likelihood ratio (how much more often the evidence is
 * seen with spam than with a genuine message), so independent pieces add up;
 * docs/INTELLIGENCE.md gives each weight and why. Pure: the evidence comes in
 * counted, the weights come from configuration.
 */

export interface VerdictWeights {
  /** log-odds before any evidence */
  bias: number;
  /** times the classifier's log-odds */
  model: number;
  /** the classifier's log-odds are clipped to ±modelClip: it has not seen every language and style */
  modelClip: number;
  /** times (distinct reporters − 1) to the power `reporterPower` */
  reporter: number;
  /**
   * Above 1: the evidence grows faster than the count. Two or three reports of
   * a genuine message are common (a family forwards one notice) and not
   * independent; five independent ones are not common.
   */
  reporterPower: number;
  /** reporters counted at most */
  reporterCap: number;
  /** each distinct operator after the first */
  operator: number;
  operatorCap: number;
  /** times ln(reporters in the first hour): campaigns arrive in bursts, mistakes do not */
  burst: number;
  /** an allowlisted sender, with no link but to allowlisted domains */
  senderAllowlisted: number;
  senderLongNumber: number;
  senderShortCode: number;
  senderAlphanumeric: number;
  shortener: number;
  /** a domain first reported in this campaign */
  newDomain: number;
  /** a domain on the allowlist (a legitimate sender's own) */
  legitimateDomain: number;
  /** a payment or credential lure */
  lure: number;
  /** each operator that blocked one of its indicators */
  blockedOperator: number;
  blockedCap: number;
  /** each operator that reported a false positive on one of its indicators, once `falsePositiveQuorum` have */
  falsePositiveOperator: number;
  /**
   * Distinct operators whose disputes count: one operator alone withdraws
   * nothing the consortium's reporters found (it may stop using it itself).
   */
  falsePositiveQuorum: number;
}

export const DEFAULT_VERDICT_WEIGHTS: VerdictWeights = {
  bias: 0,
  model: 1,
  modelClip: 3,
  reporter: 0.5,
  reporterPower: 1.5,
  reporterCap: 8,
  operator: 0.8,
  operatorCap: 3,
  burst: 0.3,
  senderAllowlisted: -6,
  senderLongNumber: 0.3,
  senderShortCode: -0.5,
  senderAlphanumeric: -0.3,
  shortener: 0.8,
  newDomain: 0.5,
  legitimateDomain: -4,
  lure: 1,
  blockedOperator: 0.7,
  blockedCap: 3,
  falsePositiveOperator: -3,
  falsePositiveQuorum: 2,
};

export interface CampaignEvidence {
  /** the classifier's mean log-odds over the campaign's texts */
  modelLogit: number;
  /** the kind of spam its texts read as */
  spamCategory: string;
  reporters: number;
  operators: number;
  /** distinct reporters whose first report came within an hour of the campaign's first */
  earlyReporters: number;
  senders: { longNumber: boolean; shortCode: boolean; alphanumeric: boolean; allowlisted: boolean };
  /** `unlistedDomain`: a link to a domain not on the allowlist, or through a shortener */
  links: { shortener: boolean; newDomain: boolean; legitimateDomain: boolean; unlistedDomain: boolean };
  lure: boolean;
  feedback: { blockingOperators: number; disputingOperators: number };
}

export type VerdictTerm =
  | 'bias'
  | 'model'
  | 'reporters'
  | 'operators'
  | 'burst'
  | 'sender'
  | 'shortener'
  | 'newDomain'
  | 'legitimateDomain'
  | 'lure'
  | 'blocked'
  | 'falsePositive';

export interface Verdict {
  spam: boolean;
  /** the spam category when spam, 'not_spam' otherwise */
  category: string;
  /** probability that the campaign is spam, 0..1 */
  probability: number;
  logOdds: number;
  /** the non-zero terms of the log-odds, rounded to 3 decimals */
  terms: Partial<Record<VerdictTerm, number>>;
}

export function campaignVerdict(e: CampaignEvidence, w: VerdictWeights): Verdict {
  const terms: Partial<Record<VerdictTerm, number>> = {};
  const add = (term: VerdictTerm, value: number) => {
    if (value !== 0 && Number.isFinite(value)) terms[term] = Math.round(value * 1000) / 1000;
  };
  add('bias', w.bias);
  add('model', w.model * clamp(Number.isFinite(e.modelLogit) ? e.modelLogit : 0, -w.modelClip, w.modelClip));
  add('reporters', w.reporter * (clamp(e.reporters, 1, w.reporterCap) - 1) ** w.reporterPower);
  add('operators', w.operator * (clamp(e.operators, 1, w.operatorCap) - 1));
  add('burst', w.burst * Math.log(clamp(e.earlyReporters, 1, w.reporterCap)));
  // An allowlisted sender says it all, unless it links where the brand does not (a sender ID is easy to
  // spoof, the brand's own domains are not); otherwise the kinds it came from (several, when senders rotate).
  const s = e.senders;
  add(
    'sender',
    s.allowlisted && !e.links.unlistedDomain
      ? w.senderAllowlisted
      : Math.max(
          s.longNumber ? w.senderLongNumber : -Infinity,
          s.shortCode ? w.senderShortCode : -Infinity,
          s.alphanumeric ? w.senderAlphanumeric : -Infinity,
          anySender(s) ? -Infinity : 0,
        ),
  );
  if (e.links.shortener) add('shortener', w.shortener);
  if (e.links.newDomain) add('newDomain', w.newDomain);
  if (e.links.legitimateDomain) add('legitimateDomain', w.legitimateDomain);
  if (e.lure) add('lure', w.lure);
  add('blocked', w.blockedOperator * clamp(e.feedback.blockingOperators, 0, w.blockedCap));
  const disputing = Math.max(0, e.feedback.disputingOperators);
  add('falsePositive', disputing >= w.falsePositiveQuorum ? w.falsePositiveOperator * disputing : 0);
  const logOdds = Object.values(terms).reduce((sum, v) => sum + v, 0);
  const probability = Math.round(logistic(logOdds) * 10_000) / 10_000;
  const spam = logOdds > 0;
  return { spam, category: spam ? e.spamCategory : 'not_spam', probability, logOdds: Math.round(logOdds * 1000) / 1000, terms };
}

/** The classifier's probability as log-odds, kept finite. */
export function logit(p: number): number {
  const q = clamp(Number.isFinite(p) ? p : 0.5, 1e-6, 1 - 1e-6);
  return Math.log(q / (1 - q));
}

function anySender(s: CampaignEvidence['senders']): boolean {
  return s.longNumber || s.shortCode || s.alphanumeric;
}

function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
