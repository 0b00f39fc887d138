/**
 * Operator feedback on a shared indicator. "Blocked N messages" confirms it a
 * little; a false positive disputes it a lot, and enough disputes (or one from
 * the operator that published it) revoke it: revocation then reaches every
 * subscriber through the feed.
 */
export interface FeedbackState {
  feedback: number;
  status: 'active' | 'revoked' | 'expired';
}

export interface SightingInput {
  kind: 'blocked' | 'false_positive';
  /** the operator reporting it published the indicator itself */
  byPublisher: boolean;
}

/** Each confirmation adds this much, up to +1. */
export const BLOCKED_STEP = 0.05;
/** Each dispute takes this much away. */
export const FALSE_POSITIVE_STEP = 0.34;
/** At or below this, the indicator is revoked: two disputes from other operators. */
export const REVOKE_AT = -0.6;

export function applySighting(state: FeedbackState, sighting: SightingInput): FeedbackState {
  if (state.status !== 'active') return state;
  if (sighting.kind === 'blocked') return { ...state, feedback: Math.min(1, state.feedback + BLOCKED_STEP) };
  const feedback = Math.max(-1, state.feedback - FALSE_POSITIVE_STEP);
  return { feedback, status: sighting.byPublisher || feedback <= REVOKE_AT ? 'revoked' : 'active' };
}
