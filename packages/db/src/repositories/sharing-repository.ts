import type { FeedbackState, IndicatorStatus, SightingKind, SightingTally, Tlp } from '@srs/core';
import type { Pool, PoolClient } from '../pool';
import { inFeedTransaction } from '../transaction';
import { checkPostedVersion, keepPosted, type PostedStix } from './posted-stix';
import { PUBLISHED_UUID } from './taxii-repository';

/** A client id that is a STIX indicator id: the indicator keeps it as its STIX id (see migration 007). */
const STIX_INDICATOR_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Publishing under a STIX id another operator's indicator (or the
 * consortium's) already has: refused, or clients that merge by id would hold
 * two conflicting objects under one id.
 */
export class StixIdTakenError extends Error {
  constructor(readonly stixId: string) {
    super(`${stixId} is the id of another operator's or the consortium's indicator`);
    this.name = 'StixIdTakenError';
  }
}

export interface PublishInput {
  operatorId: string;
  clientId: string;
  type: string;
  value: string;
  category: string;
  tlp: Tlp;
  confidence: number;
  description: string | null;
  validUntil: Date | null;
  /** the STIX object as posted over TAXII: kept and served as sent, as a new version (see migration 020) */
  stix?: PostedStix;
}

export interface PublishedRow {
  id: string;
  operatorId: string;
  clientId: string;
  type: string;
  value: string;
  category: string;
  tlp: Tlp;
  confidence: number;
  description: string | null;
  validUntil: Date | null;
  feedback: number;
  status: IndicatorStatus;
  seq: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The indicator a sighting is about, as far as feedback is concerned. */
export interface SightingTarget {
  /** `c<n>` or `p<n>` */
  id: string;
  feedback: number;
  status: IndicatorStatus;
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

export interface SightingInput {
  operatorId: string;
  clientId: string;
  indicatorId: string;
  kind: SightingKind;
  count: number;
  observedAt: Date;
}

const PUBLISHED = `id::text AS id, operator_id AS "operatorId", client_id AS "clientId", type, value, category, tlp, confidence,
  description, valid_until AS "validUntil", feedback, status, seq::text AS seq, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Operators' writes through the sharing API: their own indicators and their
 * sightings. Every change to what the feed shows takes the feed lock and the
 * next sequence value, so subscribers see it in order.
 */
export class SharingRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Idempotent on (operator, client id): the same indicator sent again changes
   * nothing (and no feed entry); a changed one is updated and reappears in the feed.
   * A new indicator whose client id is a STIX id some other indicator already
   * has throws StixIdTakenError; the feed lock makes the check and the insert one step.
   */
  async publish(input: PublishInput): Promise<{ row: PublishedRow; created: boolean; changed: boolean; refused?: string }> {
    return inFeedTransaction(this.pool, async (client) => {
      const existing = await client.query<PublishedRow>(
        `SELECT ${PUBLISHED} FROM published_indicators WHERE operator_id = $1 AND client_id = $2 FOR UPDATE`,
        [input.operatorId, input.clientId],
      );
      const params = [
        input.operatorId,
        input.clientId,
        input.type,
        input.value,
        input.category,
        input.tlp,
        input.confidence,
        input.description,
        input.validUntil,
      ];
      const before = existing.rows[0];
      if (!before && STIX_INDICATOR_ID.test(input.clientId)) {
        const { rows } = await client.query<{ taken: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM published_indicators p WHERE ${PUBLISHED_UUID} = $1::uuid AND p.operator_id <> $2)
               OR EXISTS (SELECT 1 FROM indicators WHERE stix_uuid = $1::uuid AND ever_published) AS taken`,
          [input.clientId.slice('indicator--'.length), input.operatorId],
        );
        if (rows[0]!.taken) throw new StixIdTakenError(input.clientId);
      }
      if (!before) {
        const { rows } = await client.query<PublishedRow>(
          `INSERT INTO published_indicators (operator_id, client_id, type, value, category, tlp, confidence, description, valid_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${PUBLISHED}`,
          params,
        );
        if (input.stix) await keepPosted(client, rows[0]!.id, input.stix);
        return { row: rows[0]!, created: true, changed: true };
      }
      if (input.stix) {
        const verdict = await checkPostedVersion(client, input.operatorId, input.clientId, input.stix);
        if (verdict === 'unchanged') return { row: before, created: false, changed: false };
        if (verdict) return { row: before, created: false, changed: false, refused: verdict };
      }
      const same =
        before.status === 'active' &&
        before.type === input.type &&
        before.value === input.value &&
        before.category === input.category &&
        before.tlp === input.tlp &&
        Math.abs(before.confidence - input.confidence) < 1e-6 &&
        before.description === input.description &&
        (before.validUntil?.getTime() ?? null) === (input.validUntil?.getTime() ?? null);
      // A posted object is a new version even when what the feeds read of it is the same.
      if (same && !input.stix) return { row: before, created: false, changed: false };
      // Publishing it again is the publisher asserting it: a revoked one is active again, and only disputes from now on count.
      const { rows } = await client.query<PublishedRow>(
        `UPDATE published_indicators SET type = $3, value = $4, category = $5, tlp = $6, confidence = $7, description = $8,
                valid_until = $9, seq = nextval('change_seq'), updated_at = now(), asserted_at = now(), feedback = 0,
                status = CASE WHEN $9::timestamptz IS NOT NULL AND $9::timestamptz <= now() THEN 'expired' ELSE 'active' END
          WHERE operator_id = $1 AND client_id = $2 RETURNING ${PUBLISHED}`,
        params,
      );
      if (input.stix) await keepPosted(client, rows[0]!.id, input.stix);
      return { row: rows[0]!, created: false, changed: true };
    });
  }

  async findPublished(operatorId: string, clientId: string): Promise<PublishedRow | undefined> {
    const { rows } = await this.pool.query<PublishedRow>(
      `SELECT ${PUBLISHED} FROM published_indicators WHERE operator_id = $1 AND client_id = $2`,
      [operatorId, clientId],
    );
    return rows[0];
  }

  /**
   * Records a sighting once (idempotent on the operator's id for it) and lets
   * `decide`, from the distinct operators behind the indicator's sightings, set
   * its new feedback, status and, for consortium indicators, score; the
   * indicator then reappears in the feed.
   */
  async recordSighting(
    input: SightingInput,
    decide: (target: SightingTarget, tally: SightingTally) => FeedbackState & { score?: number; publishable?: boolean },
  ): Promise<{ recorded: boolean; target: SightingTarget | undefined; status?: string }> {
    return inFeedTransaction(this.pool, async (client) => {
      const target = await lockTarget(client, input.indicatorId);
      // Another operator's TLP:RED indicator does not exist for this operator.
      if (!target || (target.tlp === 'red' && target.publisher !== input.operatorId)) return { recorded: false, target: undefined };
      const inserted = await client.query(
        `INSERT INTO sightings (operator_id, client_id, indicator_id, kind, count, observed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (operator_id, client_id) DO NOTHING RETURNING id`,
        [input.operatorId, input.clientId, input.indicatorId, input.kind, input.count, input.observedAt],
      );
      if (inserted.rowCount === 0) return { recorded: false, target, status: target.status };
      // The distinct operators behind the indicator's sightings, as core's SightingTally.
      const { rows: tally } = await client.query<SightingTally>(
        `SELECT count(DISTINCT operator_id) FILTER (WHERE kind = 'blocked')::int AS "blockingOperators",
                count(DISTINCT operator_id) FILTER (WHERE kind = 'false_positive' AND operator_id IS DISTINCT FROM $2)::int AS "disputingOperators",
                coalesce(bool_or(kind = 'false_positive' AND operator_id = $2), false) AS "publisherDisputed"
           FROM sightings WHERE indicator_id = $1 AND created_at >= $3`,
        [input.indicatorId, target.publisher, target.assertedAt ?? '-infinity'],
      );
      const next = decide(target, tally[0]!);
      const numeric = Number(input.indicatorId.slice(1));
      if (input.indicatorId.startsWith('c')) {
        // The campaigns that found it hear the operator too: the analyser decides their verdicts again.
        await client.query(
          `WITH heard AS (
             INSERT INTO campaign_feedback (campaign_id, kind, operator_id)
             SELECT campaign_id, $2, $3 FROM campaign_indicators WHERE indicator_id = $1 ON CONFLICT DO NOTHING RETURNING campaign_id)
           UPDATE campaigns SET verdict_due = true WHERE id IN (SELECT campaign_id FROM heard)`,
          [numeric, input.kind, input.operatorId],
        );
        await client.query(
          `UPDATE indicators SET feedback = $2, status = $3, score = COALESCE($4, score), publishable = COALESCE($5, publishable) AND $3 = 'active',
                  seq = nextval('change_seq'), updated_at = now()
            WHERE id = $1`,
          [numeric, next.feedback, next.status, next.score ?? null, next.publishable ?? null],
        );
      } else {
        await client.query(
          `UPDATE published_indicators SET feedback = $2, status = $3, seq = nextval('change_seq'), updated_at = now() WHERE id = $1`,
          [numeric, next.feedback, next.status],
        );
      }
      return { recorded: true, target, status: next.status };
    });
  }
}

async function lockTarget(client: PoolClient, id: string): Promise<SightingTarget | undefined> {
  const match = /^([cp])([1-9]\d{0,17})$/.exec(id);
  if (!match) return undefined;
  if (match[1] === 'c') {
    const { rows } = await client.query<SightingTarget>(
      `SELECT 'c' || id AS id, feedback, status, NULL AS publisher, 'green' AS tlp, reporter_count AS reporters,
              operator_count AS operators, max_confidence AS "maxConfidence", last_seen AS "lastSeen", allowlisted,
              NULL::timestamptz AS "assertedAt"
         FROM indicators WHERE id = $1 AND ever_published FOR UPDATE`,
      [match[2]],
    );
    return rows[0];
  }
  const { rows } = await client.query<SightingTarget>(
    `SELECT 'p' || id AS id, feedback, status, operator_id AS publisher, tlp, 0 AS reporters, 0 AS operators,
            confidence AS "maxConfidence", updated_at AS "lastSeen", false AS allowlisted, asserted_at AS "assertedAt"
       FROM published_indicators WHERE id = $1 FOR UPDATE`,
    [match[2]],
  );
  return rows[0];
}
