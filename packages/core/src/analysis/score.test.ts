import { isPublishable, scoreIndicator, type ScorePolicy } from './score';

const policy: ScorePolicy = { halfLifeDays: 30, publishScore: 0.5, minReporters: 2 };
const now = new Date('2026-11-24T12:00:00Z');
const base = { reporters: 1, operators: 1, confidence: 0.9, lastSeen: now, feedback: 0 };

describe('indicator score', () => {
  it('grows with distinct reporters, and faster with distinct operators', () => {
    const one = scoreIndicator(base, policy, now);
    const three = scoreIndicator({ ...base, reporters: 3 }, policy, now);
    const threeOnTwoNetworks = scoreIndicator({ ...base, reporters: 3, operators: 2 }, policy, now);
    expect(one).toBeLessThan(three);
    expect(three).toBeLessThan(threeOnTwoNetworks);
  });

  it('never exceeds the classifier confidence without feedback', () => {
    expect(scoreIndicator({ ...base, reporters: 1000, operators: 20, confidence: 0.6 }, policy, now)).toBeLessThanOrEqual(0.6);
  });

  it('halves over the half-life since the indicator was last reported', () => {
    const fresh = scoreIndicator({ ...base, reporters: 10 }, policy, now);
    const old = scoreIndicator({ ...base, reporters: 10, lastSeen: new Date(now.getTime() - 30 * 86_400_000) }, policy, now);
    expect(old).toBeCloseTo(fresh / 2, 2);
  });

  it('rises with confirming feedback and falls to zero with false-positive reports', () => {
    const plain = scoreIndicator(base, policy, now);
    expect(scoreIndicator({ ...base, feedback: 0.5 }, policy, now)).toBeGreaterThan(plain);
    expect(scoreIndicator({ ...base, reporters: 10, feedback: -1 }, policy, now)).toBe(0);
  });

  it('stays between 0 and 1 whatever it is given', () => {
    for (const weird of [{ confidence: Number.NaN }, { confidence: 7 }, { reporters: -3 }, { feedback: 99 }]) {
      const s = scoreIndicator({ ...base, ...weird }, policy, now);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});

describe('publishing an indicator', () => {
  const ok = { score: 0.8, reporters: 3, allowlisted: false, status: 'active' as const };
  it('needs the score, enough reporters, no allowlist entry and an active status', () => {
    expect(isPublishable(ok, policy)).toBe(true);
    expect(isPublishable({ ...ok, score: 0.49 }, policy)).toBe(false);
    expect(isPublishable({ ...ok, reporters: 1 }, policy)).toBe(false);
    expect(isPublishable({ ...ok, allowlisted: true }, policy)).toBe(false);
    expect(isPublishable({ ...ok, status: 'revoked' }, policy)).toBe(false);
  });
});
