import { applySighting, REVOKE_AT, type FeedbackState } from './feedback';

const fresh: FeedbackState = { feedback: 0, status: 'active' };

describe('operator feedback on an indicator', () => {
  it('raises confidence a little for each blocked report, never past 1', () => {
    let state = fresh;
    for (let i = 0; i < 100; i++) state = applySighting(state, { kind: 'blocked', byPublisher: false });
    expect(state).toEqual({ feedback: 1, status: 'active' });
  });

  it('revokes after enough false-positive reports from other operators, not after one', () => {
    const once = applySighting(fresh, { kind: 'false_positive', byPublisher: false });
    expect(once.status).toBe('active');
    const twice = applySighting(once, { kind: 'false_positive', byPublisher: false });
    expect(twice.feedback).toBeLessThanOrEqual(REVOKE_AT);
    expect(twice.status).toBe('revoked');
  });

  it('revokes at once when the publisher itself calls it a false positive', () => {
    expect(applySighting(fresh, { kind: 'false_positive', byPublisher: true }).status).toBe('revoked');
  });

  it('leaves a revoked indicator revoked', () => {
    const revoked = { feedback: -0.7, status: 'revoked' as const };
    expect(applySighting(revoked, { kind: 'blocked', byPublisher: false })).toEqual(revoked);
  });
});
