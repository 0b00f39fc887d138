/**
 * Operator feedback on a shared indicator. Each operator is one voice: "blocked
 * N messages" from an operator confirms the indicator a little, a false
 * positive from an operator disputes it a lot, and however many sightings one
 * operator sends, it counts once each way. Disputes from REVOKE_OPERATORS
 * distinct operators (other than the publisher) revoke the indicator, and so
 * does one from the operator that published it: revocation then reaches every
 * subscriber through the feed. A single operator can therefore never withdraw
 * what another operator published or what the consortium's reporters found.
 */
export interface FeedbackState {
  feedback: number;
  status: IndicatorStatus;
}

/** A shared indicator's life: in force, withdrawn by operators' disputes (or its publisher), or past its validity. */
export const INDICATOR_STATUSES = ['active', 'revoked', 'expired'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

/** What an operator's sighting of an indicator says: it blocked messages with it, or it is a false positive. */
export const SIGHTING_KINDS = ['blocked', 'false_positive'] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

/** What the sightings recorded on one indicator (since its publisher last asserted it) add up to. */
export interface SightingTally {
  /** distinct operators that reported blocking it */
  blockingOperators: number;
  /** distinct operators other than its publisher that reported a false positive */
  disputingOperators: number;
  /** its publisher reported a false positive */
  publisherDisputed: boolean;
}

/** Each operator that blocked it adds this much, up to +1. */
export const BLOCKED_STEP = 0.05;
/** Each operator that disputes it takes this much away. */
export const FALSE_POSITIVE_STEP = 0.34;
/** Distinct disputing operators that revoke an indicator. */
export const REVOKE_OPERATORS = 2;

export function feedbackFrom(current: FeedbackState['status'], tally: SightingTally): FeedbackState {
  const feedback = Math.max(-1, Math.min(1, BLOCKED_STEP * tally.blockingOperators - FALSE_POSITIVE_STEP * tally.disputingOperators));
  // Expiry is time's decision, not the operators'; a revocation stands until the publisher asserts the indicator again.
  if (current !== 'active') return { feedback, status: current };
  const revoked = tally.publisherDisputed || tally.disputingOperators >= REVOKE_OPERATORS;
  return { feedback, status: revoked ? 'revoked' : 'active' };
}
