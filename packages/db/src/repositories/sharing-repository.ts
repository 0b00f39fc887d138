import type { IndicatorStatus, SightingKind, Tlp } from '@srs/core';
import type { Pool, PoolClient } from '../pool';
import { inFeedTransaction } from '../transaction';
import { checkPostedVersion, keepPosted, type PostedStix } from './posted-stix';
import { applyFeedback, lockTarget, targetVisibleTo, type DecideFeedback, type SightingTarget } from './sighting-feedback';
import { sightingHistory, type SightingHistoryFilter, type SightingHistoryRow } from './sighting-history';
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

export interface SightingInput {
  operatorId: string;
  clientId: string;
  indicatorId: string;
  kind: SightingKind;
  count: number;
  observedAt: Date;
  /** the operator's own words, for itself alone */
  note?: string | null;
}

/** A sighting as its operator recorded it: what POST /v1/sightings answers with. */
export interface RecordedSighting {
  clientId: string;
  note: string | null;
  revokedAt: Date | null;
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
                valid_until = $9, seq = nextval('change_seq'), updated_at = now(), asserted_at = now(), feedback = 0, feedback_revoked = false,
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
   * `decide`, from the distinct operators behind the indicator's standing
   * sightings, set its new feedback, status and, for consortium indicators,
   * score; the indicator then reappears in the feed. Sent again, the
   * sighting as first recorded is answered (taken back, if it was).
   */
  async recordSighting(
    input: SightingInput,
    decide: DecideFeedback,
  ): Promise<{ recorded: boolean; target: SightingTarget | undefined; status?: string; sighting?: RecordedSighting }> {
    return inFeedTransaction(this.pool, async (client) => {
      const target = await lockTarget(client, input.indicatorId);
      if (!targetVisibleTo(target, input.operatorId)) return { recorded: false, target: undefined };
      const inserted = await client.query<RecordedSighting>(
        `INSERT INTO sightings (operator_id, client_id, indicator_id, kind, count, observed_at, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (operator_id, client_id) DO NOTHING
         RETURNING client_id AS "clientId", note, revoked_at AS "revokedAt"`,
        [input.operatorId, input.clientId, input.indicatorId, input.kind, input.count, input.observedAt, input.note ?? null],
      );
      if (inserted.rowCount === 0) {
        const { rows } = await client.query<RecordedSighting>(
          `SELECT client_id AS "clientId", note, revoked_at AS "revokedAt" FROM sightings WHERE operator_id = $1 AND client_id = $2`,
          [input.operatorId, input.clientId],
        );
        return { recorded: false, target, status: target.status, sighting: rows[0]! };
      }
      const next = await applyFeedback(client, target, decide);
      if (input.indicatorId.startsWith('c')) {
        // The campaigns that found it hear the operator too: the analyser decides their verdicts again.
        await client.query(
          `WITH heard AS (
             INSERT INTO campaign_feedback (campaign_id, kind, operator_id)
             SELECT campaign_id, $2, $3 FROM campaign_indicators WHERE indicator_id = $1 ON CONFLICT DO NOTHING RETURNING campaign_id)
           UPDATE campaigns SET verdict_due = true WHERE id IN (SELECT campaign_id FROM heard)`,
          [input.indicatorId.slice(1), input.kind, input.operatorId],
        );
      }
      return { recorded: true, target, status: next.status, sighting: inserted.rows[0]! };
    });
  }

  /**
   * Takes back one of the operator's own sightings, by its id for it: the
   * indicator's feedback is counted again without it (`decide` as in
   * recordSighting), and on a consortium indicator each campaign holding it
   * forgets this operator's voice of that kind unless another of its standing
   * sightings still gives it. Taking it back again changes nothing. Undefined
   * when the operator has no such sighting (another operator's included).
   */
  async revokeSighting(operatorId: string, clientId: string, decide: DecideFeedback): Promise<SightingHistoryRow | undefined> {
    return inFeedTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string; indicatorId: string; kind: SightingKind; revokedAt: Date | null }>(
        `SELECT id::text, indicator_id AS "indicatorId", kind, revoked_at AS "revokedAt"
           FROM sightings WHERE operator_id = $1 AND client_id = $2 FOR UPDATE`,
        [operatorId, clientId],
      );
      const sighting = rows[0];
      if (!sighting) return undefined;
      const target = await lockTarget(client, sighting.indicatorId);
      if (!targetVisibleTo(target, operatorId)) return undefined;
      if (!sighting.revokedAt) {
        // A new sequence value: TAXII serves the sighting again, as a revoked version.
        await client.query(`UPDATE sightings SET revoked_at = now(), seq = nextval('change_seq') WHERE id = $1`, [sighting.id]);
        await applyFeedback(client, target, decide);
        if (sighting.indicatorId.startsWith('c'))
          await forgetCampaignVoice(client, sighting.indicatorId.slice(1), sighting.kind, operatorId);
      }
      return (await sightingHistory(client, operatorId, { clientId, limit: 1 }))[0];
    });
  }

  /** The operator's own feedback history, newest first (see sightingHistory). */
  async sightingHistory(operatorId: string, filter: SightingHistoryFilter): Promise<SightingHistoryRow[]> {
    return sightingHistory(this.pool, operatorId, filter);
  }
}

/**
 * A campaign hears each operator once each way, whichever of its indicators
 * the operator spoke of (migration 018): the voice goes only when none of the
 * operator's standing sightings of that kind is on any of the campaign's
 * indicators. The campaigns it left are decided again by the analyser.
 */
async function forgetCampaignVoice(client: PoolClient, indicatorId: string, kind: SightingKind, operatorId: string): Promise<void> {
  await client.query(
    `WITH gone AS (
       DELETE FROM campaign_feedback cf USING campaign_indicators ci
        WHERE ci.indicator_id = $1 AND cf.campaign_id = ci.campaign_id AND cf.kind = $2 AND cf.operator_id = $3
          AND NOT EXISTS (
            SELECT 1 FROM sightings s
              JOIN campaign_indicators held ON held.indicator_id = (CASE WHEN s.indicator_id ~ '^c[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)
             WHERE held.campaign_id = ci.campaign_id AND s.operator_id = $3 AND s.kind = $2 AND s.revoked_at IS NULL)
        RETURNING cf.campaign_id)
     UPDATE campaigns SET verdict_due = true WHERE id IN (SELECT campaign_id FROM gone)`,
    [indicatorId, kind, operatorId],
  );
}
