import type { FeedbackState, IndicatorStatus, SightingTally, Tlp } from '@srs/core';
import type { PoolClient } from '../pool';

/** The indicator a sighting is about, as far as feedback is concerned. */
export interface SightingTarget {
  /** `c<n>` or `p<n>` */
  id: string;
  feedback: number;
  status: IndicatorStatus;
  /** its revocation is the operators' feedback's, so taking sightings back may lift it (core feedbackFrom) */
  revokedByFeedback: boolean;
  /** past its valid_until (published indicators only) */
  pastValidity: boolean;
  /** the publishing operator, for published indicators */
  publisher: string | null;
  tlp: Tlp;
  /** what scoring a consortium indicator needs */
  reporters: number;
  operators: number;
  maxConfidence: number;
  lastSeen: Date;
  allowlisted: boolean;
  /** when its publisher last published it: only sightings since count (null for consortium indicators) */
  assertedAt: Date | null;
}

/** What core makes of the sightings standing on an indicator; a consortium indicator's score too. */
export type FeedbackDecision = FeedbackState & { score?: number; publishable?: boolean };
export type DecideFeedback = (target: SightingTarget, tally: SightingTally) => FeedbackDecision;

/** Another operator's TLP:RED indicator does not exist for this operator, its sightings of it neither. */
export function targetVisibleTo(target: SightingTarget | undefined, operatorId: string): target is SightingTarget {
  return target !== undefined && (target.tlp !== 'red' || target.publisher === operatorId);
}

/** The indicator behind a feed id, locked for the feedback about to change it. */
export async function lockTarget(client: PoolClient, id: string): Promise<SightingTarget | undefined> {
  const match = /^([cp])([1-9]\d{0,17})$/.exec(id);
  if (!match) return undefined;
  if (match[1] === 'c') {
    // Only operators' feedback ever revokes a consortium indicator (nothing else writes its status), so its revocation is always feedback's.
    const { rows } = await client.query<SightingTarget>(
      `SELECT 'c' || id AS id, feedback, status, status = 'revoked' AS "revokedByFeedback", false AS "pastValidity",
              NULL AS publisher, 'green' AS tlp, reporter_count AS reporters, operator_count AS operators,
              max_confidence AS "maxConfidence", last_seen AS "lastSeen", allowlisted, NULL::timestamptz AS "assertedAt"
         FROM indicators WHERE id = $1 AND ever_published FOR UPDATE`,
      [match[2]],
    );
    return rows[0];
  }
  const { rows } = await client.query<SightingTarget>(
    `SELECT 'p' || id AS id, feedback, status, feedback_revoked AS "revokedByFeedback",
            COALESCE(valid_until <= now(), false) AS "pastValidity", operator_id AS publisher, tlp, 0 AS reporters, 0 AS operators,
            confidence AS "maxConfidence", updated_at AS "lastSeen", false AS allowlisted, asserted_at AS "assertedAt"
       FROM published_indicators WHERE id = $1 FOR UPDATE`,
    [match[2]],
  );
  return rows[0];
}

/**
 * Counts the sightings standing on a locked indicator (not taken back, and
 * for a published one made since its publisher last asserted it), lets
 * `decide` set its feedback, status and, for a consortium indicator, score,
 * and records that as a change of the feed. What recording a sighting and
 * taking one back share.
 */
export async function applyFeedback(client: PoolClient, target: SightingTarget, decide: DecideFeedback): Promise<FeedbackDecision> {
  // The distinct operators behind the indicator's sightings, as core's SightingTally.
  const { rows: tally } = await client.query<SightingTally>(
    `SELECT count(DISTINCT operator_id) FILTER (WHERE kind = 'blocked')::int AS "blockingOperators",
            count(DISTINCT operator_id) FILTER (WHERE kind = 'false_positive' AND operator_id IS DISTINCT FROM $2)::int AS "disputingOperators",
            coalesce(bool_or(kind = 'false_positive' AND operator_id = $2), false) AS "publisherDisputed"
       FROM sightings WHERE indicator_id = $1 AND created_at >= $3 AND revoked_at IS NULL`,
    [target.id, target.publisher, target.assertedAt ?? '-infinity'],
  );
  const next = decide(target, tally[0]!);
  const numeric = target.id.slice(1);
  if (target.id.startsWith('c')) {
    await client.query(
      `UPDATE indicators SET feedback = $2, status = $3, score = COALESCE($4, score), publishable = COALESCE($5, publishable) AND $3 = 'active',
              seq = nextval('change_seq'), updated_at = now()
        WHERE id = $1`,
      [numeric, next.feedback, next.status, next.score ?? null, next.publishable ?? null],
    );
  } else {
    await client.query(
      `UPDATE published_indicators SET feedback = $2, status = $3, feedback_revoked = $4, seq = nextval('change_seq'), updated_at = now()
        WHERE id = $1`,
      [numeric, next.feedback, next.status, next.status === 'revoked' && next.revokedByFeedback],
    );
  }
  return next;
}
