/**
 * Operator feedback on a shared indicator. Each operator is one voice: "blocked
 * N messages" from an operator confirms the indicator a little, a false
 * positive from an operator disputes it a lot, and however many sightings one
 * operator sends, it counts once each way. Disputes from REVOKE_OPERATORS
 * distinct operators (other than the publisher) revoke the indicator, and so
 * does one from the operator that published it: revocation then reaches every
 * subscriber through the feed. A single operator can therefore never withdraw
 * what another operator published or what the consortium's reporters found.
 *
 * Operators may take a sighting back. The tally then counts only the
 * sightings still standing, and a revocation that feedback made lasts only as
 * long as feedback backs it (see feedbackFrom).
 */
export interface FeedbackState {
  feedback: number;
  status: IndicatorStatus;
  /**
   * Its revocation is the operators' feedback's (disputes, its publisher's
   * false positive included), not its publisher's revoking it as publisher
   * (a STIX `revoked` version, a peer's revocation): only the first is undone
   * when the sightings behind it are taken back.
   */
  revokedByFeedback: boolean;
}

/** Where an indicator stands when its feedback is counted again. */
export interface FeedbackSubject extends Pick<FeedbackState, 'status' | 'revokedByFeedback'> {
  /** past its valid_until: a revocation lifted leaves it expired, not active */
  pastValidity: boolean;
}

/** A shared indicator's life: in force, withdrawn by operators' disputes (or its publisher), or past its validity. */
export const INDICATOR_STATUSES = ['active', 'revoked', 'expired'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

/** What an operator's sighting of an indicator says: it blocked messages with it, or it is a false positive. */
export const SIGHTING_KINDS = ['blocked', 'false_positive'] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

/** What the sightings standing on one indicator (not taken back, since its publisher last asserted it) add up to. */
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

/**
 * The indicator's feedback and status from the sightings standing on it.
 * Expiry is time's decision and a publisher's revocation its own: both stand
 * whatever operators say (the publisher revives its indicator by publishing it
 * again). A revocation feedback made stands while feedback backs it, and is
 * lifted once sightings taken back leave too few disputes: the indicator
 * is active again, or expired if its validity ran out meanwhile.
 */
export function feedbackFrom(current: FeedbackSubject, tally: SightingTally): FeedbackState {
  const feedback = Math.max(-1, Math.min(1, BLOCKED_STEP * tally.blockingOperators - FALSE_POSITIVE_STEP * tally.disputingOperators));
  const disputed = tally.publisherDisputed || tally.disputingOperators >= REVOKE_OPERATORS;
  switch (current.status) {
    case 'active':
      return { feedback, status: disputed ? 'revoked' : 'active', revokedByFeedback: disputed };
    case 'revoked':
      if (current.revokedByFeedback && !disputed)
        return { feedback, status: current.pastValidity ? 'expired' : 'active', revokedByFeedback: false };
      return { feedback, status: 'revoked', revokedByFeedback: current.revokedByFeedback };
    case 'expired':
      return { feedback, status: 'expired', revokedByFeedback: false };
  }
}
