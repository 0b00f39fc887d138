import { feedbackFrom, REVOKE_OPERATORS, type FeedbackSubject, type SightingTally } from './feedback';

const none: SightingTally = { blockingOperators: 0, disputingOperators: 0, publisherDisputed: false };
const active: FeedbackSubject = { status: 'active', revokedByFeedback: false, pastValidity: false };
const revokedByFeedback: FeedbackSubject = { status: 'revoked', revokedByFeedback: true, pastValidity: false };
const revokedByPublisher: FeedbackSubject = { status: 'revoked', revokedByFeedback: false, pastValidity: false };
const expired: FeedbackSubject = { status: 'expired', revokedByFeedback: false, pastValidity: true };

describe('operator feedback on an indicator', () => {
  it('raises confidence a little for each operator that blocked it, never past 1', () => {
    expect(feedbackFrom(active, { ...none, blockingOperators: 1 }).feedback).toBeCloseTo(0.05);
    expect(feedbackFrom(active, { ...none, blockingOperators: 100 })).toEqual({ feedback: 1, status: 'active', revokedByFeedback: false });
  });

  it('keeps an indicator one other operator disputes, and revokes it once enough distinct operators do', () => {
    expect(feedbackFrom(active, { ...none, disputingOperators: 1 }).status).toBe('active');
    expect(feedbackFrom(active, { ...none, disputingOperators: REVOKE_OPERATORS })).toMatchObject({
      status: 'revoked',
      revokedByFeedback: true,
    });
  });

  it('revokes at once when the publisher itself calls it a false positive', () => {
    expect(feedbackFrom(active, { ...none, publisherDisputed: true })).toMatchObject({ status: 'revoked', revokedByFeedback: true });
  });

  it('leaves a revoked or expired indicator as it is while nothing is taken back', () => {
    expect(feedbackFrom(revokedByFeedback, { ...none, blockingOperators: 5, disputingOperators: REVOKE_OPERATORS }).status).toBe('revoked');
    expect(feedbackFrom(revokedByPublisher, { ...none, blockingOperators: 5 }).status).toBe('revoked');
    expect(feedbackFrom(expired, { ...none, disputingOperators: 5 }).status).toBe('expired');
  });

  describe('when sightings are taken back', () => {
    it('lifts a revocation that disputes made once fewer operators than needed still dispute it', () => {
      const left = { ...none, disputingOperators: REVOKE_OPERATORS - 1 };
      expect(feedbackFrom(revokedByFeedback, left)).toEqual({ feedback: expect.any(Number), status: 'active', revokedByFeedback: false });
      expect(feedbackFrom(revokedByFeedback, left).feedback).toBeLessThan(0);
    });

    it('keeps the revocation while enough operators still dispute it, or while its publisher does', () => {
      expect(feedbackFrom(revokedByFeedback, { ...none, disputingOperators: REVOKE_OPERATORS })).toMatchObject({
        status: 'revoked',
        revokedByFeedback: true,
      });
      expect(feedbackFrom(revokedByFeedback, { ...none, publisherDisputed: true }).status).toBe('revoked');
    });

    it("lifts a revocation the publisher's own false positive made once the publisher takes it back", () => {
      expect(feedbackFrom(revokedByFeedback, none).status).toBe('active');
    });

    it('leaves an indicator whose validity ran out while revoked expired, not active', () => {
      expect(feedbackFrom({ ...revokedByFeedback, pastValidity: true }, none)).toMatchObject({
        status: 'expired',
        revokedByFeedback: false,
      });
    });

    it("never lifts the publisher's own revocation nor an expiry, however little feedback remains", () => {
      expect(feedbackFrom(revokedByPublisher, none)).toMatchObject({ status: 'revoked', revokedByFeedback: false });
      expect(feedbackFrom(expired, none).status).toBe('expired');
    });
  });
});
