import type { IndicatorStatus, SightingKind, Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { inFeedTransaction } from '../transaction';
import { sharedCampaignTime } from './campaign-times';

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
  name: string;
  country: string;
}

export interface TaxiiIndicatorRow extends RowBase {
  kind: 'indicator';
  /** `c<n>` (consortium) or `p<n>` (published by an operator) */
  feedId: string;
  /** the publisher's own id for it (published indicators only) */
  clientId: string | null;
  /** the uuid of its STIX id (published indicators only; a consortium indicator's is derived from `feedId`) */
  stixUuid?: string | null;
  /** `consortium` or the publishing operator */
  source: string;
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
}

export interface TaxiiCampaignRow extends RowBase {
  kind: 'campaign';
  campaignId: string;
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
  operatorId: string;
  indicatorFeedId: string;
  indicatorClientId: string | null;
  /** the uuid of the indicator's STIX id, when it is a published one */
  indicatorStixUuid?: string | null;
  tlp: Tlp;
  sightingKind: SightingKind;
  count: number;
  observedAt: string;
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

/** Must stay equal to STIX_NAMESPACE in services/sharing-api/src/stix/ids.ts and to migration 007's indexes. */
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

const SIGHTING = (tlp: string, clientId: string, stixUuid = 'NULL::uuid') => ({
  rank: TAXII_RANK.sighting,
  kind: 'sighting' as const,
  at: 's.taxii_date_added',
  ref: 's.id::text',
  uuid: `uuid_generate_v5(${NS}, 'sighting:' || s.id::text)`,
  version: `date_trunc('milliseconds', s.created_at)`,
  data: `jsonb_build_object('sightingId', s.id::text, 'operatorId', s.operator_id, 'indicatorFeedId', s.indicator_id,
           'indicatorClientId', ${clientId}, 'indicatorStixUuid', ${stixUuid}, 'tlp', ${tlp}, 'sightingKind', s.kind, 'count', s.count,
           'observedAt', ${ms('s.observed_at')}, 'created', ${ms('s.created_at')}, 'modified', ${ms('s.created_at')})`,
});

const BRANCHES: Branch[] = [
  {
    rank: TAXII_RANK.identity,
    kind: 'identity',
    from: 'operators o WHERE true',
    at: 'o.taxii_date_added',
    ref: 'o.id',
    uuid: `uuid_generate_v5(${NS}, 'identity:operator:' || o.id)`,
    version: `date_trunc('milliseconds', GREATEST(o.created_at, o.taxii_date_added))`,
    data: `jsonb_build_object('operatorId', o.id, 'name', o.name, 'country', o.country::text,
           'created', ${ms('o.created_at')}, 'modified', ${ms('GREATEST(o.created_at, o.taxii_date_added)')})`,
  },
  {
    rank: TAXII_RANK.consortiumIndicator,
    kind: 'indicator',
    from: 'indicators i WHERE $1::text IS NULL AND i.ever_published',
    at: 'i.taxii_date_added',
    ref: 'i.id::text',
    uuid: `uuid_generate_v5(${NS}, 'indicator:c' || i.id::text)`,
    version: `date_trunc('milliseconds', GREATEST(i.stix_created_at, i.updated_at))`,
    data: `jsonb_build_object('feedId', 'c' || i.id, 'clientId', NULL::text, 'source', 'consortium', 'tlp', 'green',
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
    version: `date_trunc('milliseconds', GREATEST(p.created_at, p.updated_at))`,
    data: `jsonb_build_object('feedId', 'p' || p.id, 'clientId', p.client_id, 'stixUuid', ${PUBLISHED_UUID}, 'source', p.operator_id, 'tlp', p.tlp,
           'type', p.type, 'value', p.value, 'ascii', NULL::text, 'category', p.category, 'confidence', p.confidence,
           'shared', p.status = 'active', 'status', p.status, 'reporters', NULL::int, 'operators', NULL::int,
           'validFrom', ${ms('p.created_at')}, 'validUntil', ${ms('p.valid_until')}, 'description', p.description,
           'created', ${ms('p.created_at')}, 'modified', ${ms('GREATEST(p.created_at, p.updated_at)')})`,
  },
  {
    rank: TAXII_RANK.campaign,
    kind: 'campaign',
    from: 'campaigns c WHERE $1::text IS NULL AND (c.spam OR c.ever_spam)',
    at: 'c.taxii_date_added',
    ref: 'c.id::text',
    uuid: `uuid_generate_v5(${NS}, 'campaign:' || c.id::text)`,
    version: `date_trunc('milliseconds', GREATEST(c.stix_created_at, c.updated_at))`,
    data: `jsonb_build_object('campaignId', c.id::text, 'category', c.category, 'confidence', c.confidence, 'language', c.language,
           'reports', c.report_count, 'reporters', c.reporter_count, 'operators', c.operator_count,
           'firstSeen', ${ms(campaignTime('c.first_seen'))}, 'lastSeen', ${ms(campaignTime('c.last_seen'))},
           'sampleText', CASE WHEN c.text_reporters >= $3 THEN c.shared_text END, 'shared', c.spam,
           'created', ${ms(campaignTime('c.stix_created_at'))}, 'modified', ${ms('GREATEST(c.stix_created_at, c.updated_at)')})`,
  },
  {
    ...SIGHTING(`'green'`, 'NULL::text'),
    from: `sightings s JOIN indicators i ON i.id = (CASE WHEN s.indicator_id ~ '^c[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)
          WHERE $1::text IS NULL AND i.ever_published`,
  },
  {
    ...SIGHTING('p.tlp', 'p.client_id', PUBLISHED_UUID),
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
      const { rows } = await client.query<{ status: string }>(
        'SELECT status FROM published_indicators WHERE operator_id = $1 AND client_id = $2 FOR UPDATE',
        [operatorId, clientId],
      );
      if (rows[0] && rows[0].status !== 'revoked') {
        await client.query(
          `UPDATE published_indicators SET status = 'revoked', seq = nextval('change_seq'), updated_at = now()
            WHERE operator_id = $1 AND client_id = $2`,
          [operatorId, clientId],
        );
      }
      return rows.length === 1;
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
