import type { IndicatorStatus, SightingKind, Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { inFeedTransaction } from '../transaction';
import { sharedCampaignTime } from './shared-campaigns';
import { checkPostedVersion, keepPosted, PUBLISHED_VERSION, type PostedStix } from './posted-stix';

/**
 * Where a TAXII object sits in its collection: ordered by `date_added` (unique
 * and in commit order, see migration 007), then by kind and row, so a cursor
 * taken from the last object of a page never skips or repeats one.
 */
export interface TaxiiPosition {
  /** ISO 8601 UTC with microseconds, e.g. 2025-01-02T03:04:05.123456Z */
  dateAdded: string;
  rank: number;
  ref: string;
}

/** Ranks of the kinds stored here; 0 is left to objects that live in code. */
const TAXII_RANK = { identity: 1, consortiumIndicator: 2, publishedIndicator: 3, campaign: 4, sighting: 5 } as const;

/** STIX timestamps (`created`, `modified`, …) come back as ISO 8601 UTC strings with milliseconds. */
interface RowBase extends TaxiiPosition {
  created: string;
  modified: string;
}

export interface TaxiiIdentityRow extends RowBase {
  kind: 'identity';
  operatorId: string;
  /** the uuid of its STIX id (random v4, stored once; migration 020) */
  stixUuid: string;
  name: string;
  country: string;
}

export interface TaxiiIndicatorRow extends RowBase {
  kind: 'indicator';
  /** `c<n>` (consortium) or `p<n>` (published by an operator) */
  feedId: string;
  /** the uuid of its STIX id: stored once per row (migrations 017 and 020); a published one's client id comes first */
  stixUuid: string;
  /** `consortium` or the publishing operator */
  source: string;
  /** the uuid of the publishing operator's identity (published indicators only) */
  sourceStixUuid: string | null;
  tlp: Tlp;
  type: string;
  value: string;
  ascii: string | null;
  category: string;
  confidence: number;
  shared: boolean;
  status: IndicatorStatus;
  validFrom: string;
  validUntil: string | null;
  description: string | null;
  /** distinct reporters and operators (consortium indicators only) */
  reporters: number | null;
  operators: number | null;
  /** the object its publisher POSTed over TAXII, while it is the version held: served as sent */
  sent?: Record<string, unknown> | null;
  /** whether its publisher POSTed it over TAXII: a version made here then keeps the posted `created_by_ref` (or its absence) */
  posted?: boolean;
  postedCreatedByRef?: string | null;
}

export interface TaxiiCampaignRow extends RowBase {
  kind: 'campaign';
  campaignId: string;
  stixUuid: string;
  category: string;
  confidence: number;
  language: string;
  reports: number;
  reporters: number;
  operators: number;
  firstSeen: string;
  lastSeen: string;
  /** null until enough distinct reporters reported it */
  sampleText: string | null;
  /** false: its verdict turned, and it is withdrawn (revoked) */
  shared: boolean;
}

export interface TaxiiSightingRow extends RowBase {
  kind: 'sighting';
  sightingId: string;
  stixUuid: string;
  operatorId: string;
  /** the uuid of the sighting operator's identity */
  operatorStixUuid: string;
  /** the uuid of the STIX id of the indicator it is about */
  indicatorStixUuid: string;
  tlp: Tlp;
  sightingKind: SightingKind;
  count: number;
  observedAt: string;
  /** its operator took it back: served as a revoked version */
  revoked: boolean;
}

export type TaxiiObjectRow = TaxiiIdentityRow | TaxiiIndicatorRow | TaxiiCampaignRow | TaxiiSightingRow;

export interface TaxiiPageQuery {
  /** null: the consortium's collection; otherwise the operator whose published indicators the collection holds */
  collectionOperator: string | null;
  /** the operator reading: it alone sees its own TLP:RED indicators */
  viewer: string;
  after?: TaxiiPosition;
  /** ISO 8601 timestamp: only objects added strictly after it */
  addedAfter?: string;
  /** STIX types */
  types?: string[];
  /** STIX ids (`type--uuid`) */
  ids?: string[];
  /** `modified` values (to the millisecond) */
  versions?: string[];
  sampleMinReporters: number;
  limit: number;
}

export interface TaxiiStatusRow {
  id: string;
  operatorId: string;
  requestTimestamp: string;
  totalCount: number;
  successCount: number;
  failureCount: number;
  successes: Array<{ id: string; version?: string; message?: string }>;
  failures: Array<{ id: string; version?: string; message?: string }>;
}

/**
 * The project namespace of the UUIDv5 STIX ids rows had before migration 020 (those rows keep them);
 * rows since have a stored random v4 (`stix_uuid`): find a row by that column, not by this.
 */
export const NS = `'adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid`;
const ms = (e: string) => `to_char((${e}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const us = (e: string) => `to_char((${e}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** A campaign time as shared (see sharedCampaignTime); $3 is k. */
const campaignTime = (column: string) => sharedCampaignTime(column, 'c.reporter_count', '$3');
/** The STIX id (uuid part) of a published indicator: the operator's own, or the random one it got (migration 017). */
export const PUBLISHED_UUID = `(CASE WHEN p.client_id ~ '^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
       THEN substr(p.client_id, 12)::uuid
       ELSE p.stix_uuid END)`;

/**
 * One kind of object: where its rows are, and how a row becomes an ordered,
 * filterable entry. Parameters: $1 collection operator (NULL: the consortium),
 * $2 viewer, $3 k for sample texts, $4-$6 cursor, $7 added_after, $8 types,
 * $9 uuids and $12 full ids, $10 versions, $11 limit.
 */
interface Branch {
  rank: number;
  kind: TaxiiObjectRow['kind'];
  from: string;
  at: string;
  ref: string;
  uuid: string;
  version: string;
  data: string;
}

/**
 * A sighting's one version: as recorded, or revoked once its operator took it
 * back, a millisecond after `created` at the least so the two never share a `modified`.
 */
const SIGHTING_VERSION = `date_trunc('milliseconds', CASE WHEN s.revoked_at IS NULL THEN s.created_at
  ELSE GREATEST(s.revoked_at, date_trunc('milliseconds', s.created_at) + interval '1 millisecond') END)`;

const SIGHTING = (tlp: string, indicatorUuid: string) => ({
  rank: TAXII_RANK.sighting,
  kind: 'sighting' as const,
  at: 's.taxii_date_added',
  ref: 's.id::text',
  uuid: 's.stix_uuid',
  version: SIGHTING_VERSION,
  data: `jsonb_build_object('sightingId', s.id::text, 'stixUuid', s.stix_uuid, 'operatorId', s.operator_id,
           'operatorStixUuid', (SELECT so.stix_uuid FROM operators so WHERE so.id = s.operator_id),
           'indicatorStixUuid', ${indicatorUuid}, 'tlp', ${tlp}, 'sightingKind', s.kind, 'count', s.count,
           'observedAt', ${ms('s.observed_at')}, 'created', ${ms('s.created_at')}, 'modified', ${ms(SIGHTING_VERSION)},
           'revoked', s.revoked_at IS NOT NULL)`,
});

const BRANCHES: Branch[] = [
  {
    rank: TAXII_RANK.identity,
    kind: 'identity',
    from: 'operators o WHERE true',
    at: 'o.taxii_date_added',
    ref: 'o.id',
    uuid: 'o.stix_uuid',
    version: `date_trunc('milliseconds', GREATEST(o.created_at, o.taxii_date_added))`,
    data: `jsonb_build_object('operatorId', o.id, 'stixUuid', o.stix_uuid, 'name', o.name, 'country', o.country::text,
           'created', ${ms('o.created_at')}, 'modified', ${ms('GREATEST(o.created_at, o.taxii_date_added)')})`,
  },
  {
    rank: TAXII_RANK.consortiumIndicator,
    kind: 'indicator',
    from: 'indicators i WHERE $1::text IS NULL AND i.ever_published',
    at: 'i.taxii_date_added',
    ref: 'i.id::text',
    uuid: 'i.stix_uuid',
    version: `date_trunc('milliseconds', GREATEST(i.stix_created_at, i.updated_at))`,
    data: `jsonb_build_object('feedId', 'c' || i.id, 'stixUuid', i.stix_uuid, 'source', 'consortium', 'sourceStixUuid', NULL::uuid, 'tlp', 'green',
           'type', i.type, 'value', i.value, 'ascii', i.ascii, 'category', i.category, 'confidence', i.score,
           'shared', i.publishable, 'status', i.status, 'reporters', i.reporter_count, 'operators', i.operator_count,
           'validFrom', ${ms('i.first_seen')}, 'validUntil', NULL::text, 'description', NULL::text,
           'created', ${ms('i.stix_created_at')}, 'modified', ${ms('GREATEST(i.stix_created_at, i.updated_at)')})`,
  },
  {
    rank: TAXII_RANK.publishedIndicator,
    kind: 'indicator',
    from: `published_indicators p WHERE p.operator_id = $1 AND (p.tlp <> 'red' OR p.operator_id = $2)`,
    at: 'p.taxii_date_added',
    ref: 'p.id::text',
    uuid: PUBLISHED_UUID,
    version: PUBLISHED_VERSION,
    data: `jsonb_build_object('feedId', 'p' || p.id, 'stixUuid', ${PUBLISHED_UUID}, 'source', p.operator_id,
           'sent', CASE WHEN p.stix_seq = p.seq THEN p.stix_object END, 'posted', p.stix_object IS NOT NULL,
           'postedCreatedByRef', p.stix_object->>'created_by_ref',
           'sourceStixUuid', (SELECT po.stix_uuid FROM operators po WHERE po.id = p.operator_id), 'tlp', p.tlp,
           'type', p.type, 'value', p.value, 'ascii', NULL::text, 'category', p.category, 'confidence', p.confidence,
           'shared', p.status = 'active', 'status', p.status, 'reporters', NULL::int, 'operators', NULL::int,
           'validFrom', COALESCE(p.stix_object->>'valid_from', ${ms('p.created_at')}), 'validUntil', ${ms('p.valid_until')},
           'description', p.description, 'created', COALESCE(p.stix_object->>'created', ${ms('p.created_at')}),
           'modified', ${ms(PUBLISHED_VERSION)})`,
  },
  {
    rank: TAXII_RANK.campaign,
    kind: 'campaign',
    from: 'campaigns c WHERE $1::text IS NULL AND (c.spam OR c.ever_spam)',
    at: 'c.taxii_date_added',
    ref: 'c.id::text',
    uuid: 'c.stix_uuid',
    version: `date_trunc('milliseconds', GREATEST(c.stix_created_at, c.updated_at))`,
    data: `jsonb_build_object('campaignId', c.id::text, 'stixUuid', c.stix_uuid, 'category', c.category, 'confidence', c.confidence, 'language', c.language,
           'reports', c.report_count, 'reporters', c.reporter_count, 'operators', c.operator_count,
           'firstSeen', ${ms(campaignTime('c.first_seen'))}, 'lastSeen', ${ms(campaignTime('c.last_seen'))},
           'sampleText', CASE WHEN c.text_reporters >= $3 THEN c.shared_text END, 'shared', c.spam,
           'created', ${ms(campaignTime('c.stix_created_at'))}, 'modified', ${ms('GREATEST(c.stix_created_at, c.updated_at)')})`,
  },
  {
    ...SIGHTING(`'green'`, 'i.stix_uuid'),
    from: `sightings s JOIN indicators i ON i.id = (CASE WHEN s.indicator_id ~ '^c[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)
          WHERE $1::text IS NULL AND i.ever_published`,
  },
  {
    ...SIGHTING('p.tlp', PUBLISHED_UUID),
    from: `sightings s JOIN published_indicators p ON p.id = (CASE WHEN s.indicator_id ~ '^p[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)
          WHERE p.operator_id = $1 AND (p.tlp <> 'red' OR p.operator_id = $2)`,
  },
];

/**
 * Each kind's next page on its own (its date_added index, stopping after
 * $11 rows), then the few candidates merged: one ordered stream over every
 * object a collection holds, which never scans what a cursor has passed.
 */
const OBJECTS = BRANCHES.map(
  (b) => `(SELECT ${b.at} AS at, ${b.rank} AS rank, ${b.ref} AS ref, '${b.kind}' AS kind, ${b.data} AS data
     FROM ${b.from}
      AND ${b.at} >= $4::timestamptz AND (${b.at}, ${b.rank}, ${b.ref} COLLATE "C") > ($4::timestamptz, $5::int, $6::text)
      AND ($7::timestamptz IS NULL OR ${b.at} > $7)
      AND ($8::text[] IS NULL OR '${b.kind}' = ANY($8))
      AND ($9::uuid[] IS NULL OR (${b.uuid} = ANY($9) AND '${b.kind}--' || ${b.uuid}::text = ANY($12::text[])))
      AND ($10::timestamptz[] IS NULL OR ${b.version} = ANY($10))
    ORDER BY ${b.at}, ${b.ref} COLLATE "C"
    LIMIT $11)`,
).join('\n  UNION ALL\n  ');

const START: TaxiiPosition = { dateAdded: '-infinity', rank: -1, ref: '' };

/**
 * What TAXII 2.1 serves and records: the objects of a collection (the
 * consortium's, or one operator's published indicators) and the status of
 * each POST. Reporters and texts stay out: counts only, and a campaign's
 * sample text only from k distinct reporters.
 */
export class TaxiiRepository {
  constructor(private readonly pool: Pool) {}

  async objects(query: TaxiiPageQuery): Promise<TaxiiObjectRow[]> {
    const after = query.after ?? START;
    const { rows } = await this.pool.query<TaxiiPosition & { kind: TaxiiObjectRow['kind']; data: Record<string, unknown> }>(
      `SELECT ${us('u.at')} AS "dateAdded", u.rank, u.ref, u.kind, u.data
         FROM (${OBJECTS}) u
        ORDER BY u.at, u.rank, u.ref COLLATE "C"
        LIMIT $11`,
      [
        query.collectionOperator,
        query.viewer,
        query.sampleMinReporters,
        after.dateAdded,
        after.rank,
        after.ref,
        query.addedAfter ?? null,
        query.types ?? null,
        query.ids ? query.ids.map((id) => id.slice(id.indexOf('--') + 2)) : null,
        query.versions ?? null,
        query.limit,
        query.ids ?? null,
      ],
    );
    return rows.map(({ data, ...position }) => ({ ...data, ...position }) as TaxiiObjectRow);
  }

  /**
   * Withdraws an indicator the operator published (STIX `revoked: true`);
   * false when it has none with this id. Revoking twice changes nothing.
   */
  async revokePublished(operatorId: string, clientId: string): Promise<boolean> {
    return inFeedTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ status: string; feedbackRevoked: boolean }>(
        'SELECT status, feedback_revoked AS "feedbackRevoked" FROM published_indicators WHERE operator_id = $1 AND client_id = $2 FOR UPDATE',
        [operatorId, clientId],
      );
      // One that operators' feedback revoked becomes the publisher's revocation, which taking sightings back does not lift.
      if (rows[0] && (rows[0].status !== 'revoked' || rows[0].feedbackRevoked)) {
        await client.query(
          `UPDATE published_indicators SET status = 'revoked', feedback_revoked = false, seq = nextval('change_seq'), updated_at = now()
            WHERE operator_id = $1 AND client_id = $2`,
          [operatorId, clientId],
        );
      }
      return rows.length === 1;
    });
  }

  /**
   * Withdraws an indicator the operator published by the revoked version it
   * POSTed over TAXII, kept as that version: 'revoked', 'unchanged' (this very
   * version is held), undefined when it has none with this id, or why this
   * version cannot follow the one held.
   */
  async revokePosted(operatorId: string, clientId: string, posted: PostedStix): Promise<string | undefined> {
    return inFeedTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id::text FROM published_indicators WHERE operator_id = $1 AND client_id = $2 FOR UPDATE',
        [operatorId, clientId],
      );
      if (!rows[0]) return undefined;
      const verdict = await checkPostedVersion(client, operatorId, clientId, posted);
      if (verdict) return verdict;
      await client.query(
        `UPDATE published_indicators SET status = 'revoked', feedback_revoked = false, seq = nextval('change_seq'), updated_at = now()
          WHERE id = $1`,
        [rows[0].id],
      );
      await keepPosted(client, rows[0].id, posted);
      return 'revoked';
    });
  }

  async saveStatus(status: Omit<TaxiiStatusRow, 'requestTimestamp'> & { requestTimestamp: Date }): Promise<void> {
    await this.pool.query(
      `INSERT INTO taxii_status (id, operator_id, request_timestamp, total_count, success_count, failure_count, successes, failures)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        status.id,
        status.operatorId,
        status.requestTimestamp,
        status.totalCount,
        status.successCount,
        status.failureCount,
        JSON.stringify(status.successes),
        JSON.stringify(status.failures),
      ],
    );
  }

  /** Another operator's status is not found: a status id says what was published. */
  async findStatus(id: string, operatorId: string): Promise<TaxiiStatusRow | undefined> {
    const { rows } = await this.pool.query<TaxiiStatusRow>(
      `SELECT id::text, operator_id AS "operatorId", ${ms('request_timestamp')} AS "requestTimestamp",
              total_count AS "totalCount", success_count AS "successCount", failure_count AS "failureCount", successes, failures
         FROM taxii_status WHERE id = $1 AND operator_id = $2`,
      [id, operatorId],
    );
    return rows[0];
  }
}
