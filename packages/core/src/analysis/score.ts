/**
 * How much an indicator can be trusted, from 0 to 1. Corroboration grows with
 * distinct reporters and, faster, with distinct operators (independent
 * networks seeing the same thing); the classifier's confidence caps it;
 * it halves every `halfLifeDays` since the indicator was last reported;
 * operator feedback (sightings) moves it up or down.
 */
export interface ScoreInputs {
  reporters: number;
  operators: number;
  /** highest classifier confidence among the spam reports that carried it */
  confidence: number;
  lastSeen: Date;
  /** net operator feedback, -1 (false positive) … +1 (confirmed blocked) */
  feedback: number;
}

export interface ScorePolicy {
  halfLifeDays: number;
  publishScore: number;
  /** distinct reporters needed before an indicator is shared at all */
  minReporters: number;
}

export function scoreIndicator(inputs: ScoreInputs, policy: ScorePolicy, now: Date): number {
  const evidence = Math.max(0, inputs.reporters) + 2 * Math.max(0, inputs.operators - 1);
  const corroboration = 1 - Math.exp(-evidence / 3);
  const ageDays = Math.max(0, (now.getTime() - inputs.lastSeen.getTime()) / 86_400_000);
  const decay = Math.pow(0.5, ageDays / policy.halfLifeDays);
  const feedback = Math.max(-1, Math.min(1, inputs.feedback));
  const evidenceScore = clamp01(inputs.confidence) * corroboration * decay;
  // Confirmations close part of the gap to 1; disputes scale it down, to 0 at full dispute.
  const score = feedback >= 0 ? evidenceScore + (1 - evidenceScore) * feedback * 0.5 : evidenceScore * (1 + feedback);
  return Math.round(clamp01(score) * 1000) / 1000;
}

/** Shared with operators: trusted enough, corroborated enough, and not a legitimate sender or domain. */
export function isPublishable(
  indicator: { score: number; reporters: number; allowlisted: boolean; status: 'active' | 'revoked' | 'expired' },
  policy: ScorePolicy,
): boolean {
  return (
    indicator.status === 'active' &&
    !indicator.allowlisted &&
    indicator.reporters >= policy.minReporters &&
    indicator.score >= policy.publishScore
  );
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0;
}
