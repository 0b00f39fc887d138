import type { IndicatorStatus, Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { sharedCampaignTime } from './campaign-times';
import { publishedVisibleTo } from './published-visibility';

const campaignTime = (column: string) => sharedCampaignTime(column, 'reporter_count', '$5');

export interface IndicatorChange {
  seq: string;
  /** `c<n>` for the consortium's own indicators, `p<n>` for those an operator published */
  id: string;
  /** `consortium`, or the id of the operator that published it */
  source: string;
  tlp: Tlp;
  type: string;
  value: string;
  ascii: string | null;
  shortener: boolean;
  category: string;
  confidence: number;
  shared: boolean;
  status: IndicatorStatus;
  /** distinct reporters and operators (consortium indicators only) */
  reporters: number | null;
  operators: number | null;
  firstSeen: Date;
  lastSeen: Date;
  updatedAt: Date;
}

export interface CampaignChange {
  seq: string;
  id: string;
  category: string;
  confidence: number;
  language: string;
  reports: number;
  reporters: number;
  operators: number;
  firstSeen: Date;
  lastSeen: Date;
  updatedAt: Date;
  /** null until enough distinct reporters reported it */
  sampleText: string | null;
  /** false: its verdict turned, and it is withdrawn */
  shared: boolean;
  /** each term of its verdict's log-odds (docs/INTELLIGENCE.md); null before its first verdict */
  verdictTerms: Record<string, number> | null;
}

export interface IndicatorFilter {
  afterSeq: bigint;
  /** the operator reading: it alone sees its own TLP:RED indicators */
  viewer?: string;
  limit: number;
  types?: string[];
  category?: string;
  minConfidence?: number;
  since?: Date;
}

/**
 * The change feeds of shared intelligence, in the order the server recorded
 * the changes (`change_seq`, see FEED_WRITE_LOCK). Reporters and their texts
 * stay out: counts only, and a campaign's sample text only from k reporters.
 */
export class FeedRepository {
  constructor(private readonly pool: Pool) {}

  async indicators(filter: IndicatorFilter): Promise<{ rows: IndicatorChange[]; lastSeq: bigint }> {
    const { rows } = await this.pool.query<IndicatorChange & { matches: boolean }>(
      `SELECT f.*,
              (($3::text[] IS NULL OR f.type = ANY($3)) AND ($4::text IS NULL OR f.category = $4)
                AND ($5::real IS NULL OR f.confidence >= $5 OR NOT f.shared) AND ($6::timestamptz IS NULL OR f."updatedAt" >= $6)) AS matches
         FROM (
           -- Each branch takes its own first page by index, so the merge never sorts more than two pages.
           (SELECT seq, 'c' || id AS id, 'consortium' AS source, 'green' AS tlp, type, value, ascii, shortener, category,
                   score AS confidence, publishable AS shared, status, reporter_count AS reporters, operator_count AS operators,
                   first_seen AS "firstSeen", last_seen AS "lastSeen", updated_at AS "updatedAt"
              FROM indicators WHERE ever_published AND seq > $1 ORDER BY seq LIMIT $2)
           UNION ALL
           (SELECT seq, 'p' || id, operator_id, tlp, type, value, NULL, false, category,
                   confidence, status = 'active', status, NULL, NULL, created_at, updated_at, updated_at
              FROM published_indicators WHERE seq > $1 AND ${publishedVisibleTo('$7')} ORDER BY seq LIMIT $2)
         ) f
        ORDER BY f.seq
        LIMIT $2`,
      [
        filter.afterSeq.toString(),
        filter.limit,
        filter.types ?? null,
        filter.category ?? null,
        filter.minConfidence ?? null,
        filter.since ?? null,
        filter.viewer ?? null,
      ],
    );
    // The cursor moves past every change read, matching or not, so a filtered feed never rescans.
    const lastSeq = rows.length ? BigInt(rows[rows.length - 1]!.seq) : filter.afterSeq;
    return { rows: rows.filter((r) => r.matches).map(({ matches: _m, ...r }) => ({ ...r, seq: String(r.seq) })), lastSeq };
  }

  async campaigns(filter: {
    afterSeq: bigint;
    limit: number;
    category?: string;
    since?: Date;
    sampleMinReporters: number;
  }): Promise<{ rows: CampaignChange[]; lastSeq: bigint }> {
    const { rows } = await this.pool.query<CampaignChange & { matches: boolean }>(
      `SELECT seq::text AS seq, id::text AS id, category, confidence, language, report_count AS reports,
              reporter_count AS reporters, operator_count AS operators, ${campaignTime('first_seen')} AS "firstSeen",
              ${campaignTime('last_seen')} AS "lastSeen", ${campaignTime('updated_at')} AS "updatedAt",
              CASE WHEN text_reporters >= $5 THEN shared_text END AS "sampleText", spam AS shared,
              verdict_terms AS "verdictTerms",
              (($3::text IS NULL OR category = $3) AND ($4::timestamptz IS NULL OR updated_at >= $4)) AS matches
         FROM campaigns
        WHERE (spam OR ever_spam) AND seq > $1
        ORDER BY campaigns.seq
        LIMIT $2`,
      [filter.afterSeq.toString(), filter.limit, filter.category ?? null, filter.since ?? null, filter.sampleMinReporters],
    );
    const lastSeq = rows.length ? BigInt(rows[rows.length - 1]!.seq) : filter.afterSeq;
    return { rows: rows.filter((r) => r.matches).map(({ matches: _m, ...r }) => r), lastSeq };
  }
}
