import { feedbackFrom, REVOKE_OPERATORS, type SightingTally } from './feedback';

const none: SightingTally = { blockingOperators: 0, disputingOperators: 0, publisherDisputed: false };

describe('operator feedback on an indicator', () => {
  it('raises confidence a little for each operator that blocked it, never past 1', () => {
    expect(feedbackFrom('active', { ...none, blockingOperators: 1 }).feedback).toBeCloseTo(0.05);
    expect(feedbackFrom('active', { ...none, blockingOperators: 100 })).toEqual({ feedback: 1, status: 'active' });
  });

  it('keeps an indicator one other operator disputes, and revokes it once enough distinct operators do', () => {
    expect(feedbackFrom('active', { ...none, disputingOperators: 1 }).status).toBe('active');
    expect(feedbackFrom('active', { ...none, disputingOperators: REVOKE_OPERATORS }).status).toBe('revoked');
  });

  it('revokes at once when the publisher itself calls it a false positive', () => {
    expect(feedbackFrom('active', { ...none, publisherDisputed: true }).status).toBe('revoked');
  });

  it('leaves a revoked or expired indicator as it is', () => {
    expect(feedbackFrom('revoked', { ...none, blockingOperators: 5 }).status).toBe('revoked');
    expect(feedbackFrom('expired', { ...none, disputingOperators: 5 }).status).toBe('expired');
  });
});
