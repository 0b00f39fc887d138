import type { IndicatorStatus, Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { portalCampaignColumns, SHARED_CAMPAIGN, sharedCampaignText, sharedCampaignTime, type PortalCampaign } from './shared-campaigns';
import { campaignPage } from './campaign-page';
import { lookup, type LookupCandidate } from './portal-lookup';
import { publishedVisibleTo } from './published-visibility';

const campaignTime = (column: string) => sharedCampaignTime(column, 'reporter_count', '$5');

/** The hours of the portal's window (GET /v1/portal/now), and the hours its growth compares. */
export const RECENT_HOURS = 24;
export const GROWTH_HOURS = 6;

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

/** A campaign of the portal's "Now" view, with its reports per hour. */
export interface RecentCampaign extends PortalCampaign {
  /** reports per UTC hour, oldest first: RECENT_HOURS of them, the last the hour now running */
  hourly: number[];
  /** reports in the last GROWTH_HOURS hours minus those in the GROWTH_HOURS before */
  growth: number;
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
    const { rows } = await this.pool.query<IndicatorChange & { matches: boolean }>({
      // Named, so each connection parses and plans it once: followers poll it many times a second.
      name: 'feed-indicators',
      text: `SELECT f.*,
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
      values: [
        filter.afterSeq.toString(),
        filter.limit,
        filter.types ?? null,
        filter.category ?? null,
        filter.minConfidence ?? null,
        filter.since ?? null,
        filter.viewer ?? null,
      ],
    });
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
              ${sharedCampaignText('$5')} AS "sampleText", spam AS shared,
              verdict_terms AS "verdictTerms",
              (($3::text IS NULL OR category = $3) AND ($4::timestamptz IS NULL OR updated_at >= $4)) AS matches
         FROM campaigns
        WHERE ${SHARED_CAMPAIGN} AND seq > $1
        ORDER BY campaigns.seq
        LIMIT $2`,
      [filter.afterSeq.toString(), filter.limit, filter.category ?? null, filter.since ?? null, filter.sampleMinReporters],
    );
    const lastSeq = rows.length ? BigInt(rows[rows.length - 1]!.seq) : filter.afterSeq;
    return { rows: rows.filter((r) => r.matches).map(({ matches: _m, ...r }) => r), lastSeq };
  }

  /**
   * The shared campaigns last seen (as shared) in the RECENT_HOURS UTC hours up
   * to `now`, each with its reports per UTC hour (whole hours, like the times a
   * campaign below k reporters is shared with), sorted by growth, then by the
   * reports of the last GROWTH_HOURS, then by last seen. Counts only: whether
   * the viewer's own operator reported it, never which others did.
   */
  async recentCampaigns(filter: { viewer: string; sampleMinReporters: number; now?: Date; limit?: number }): Promise<RecentCampaign[]> {
    const { rows } = await this.pool.query<Omit<RecentCampaign, 'growth'>>(
      `WITH win AS (SELECT date_trunc('hour', $1::timestamptz, 'UTC') - make_interval(hours => $4 - 1) AS start),
            active AS (
              SELECT c.id, ${portalCampaignColumns('$3', '$2')}
                FROM campaigns c, win
               WHERE ${SHARED_CAMPAIGN} AND c.last_seen >= win.start
                 AND ${sharedCampaignTime('c.last_seen', 'c.reporter_count', '$3')} >= win.start),
            hourly AS (
              SELECT r.campaign_id, floor(extract(epoch FROM date_trunc('hour', r.received_at, 'UTC') - win.start) / 3600)::int AS h,
                     count(*)::int AS n
                FROM reports r, win
               WHERE r.received_at >= win.start AND r.received_at <= $1 AND r.campaign_id IN (SELECT id FROM active)
               GROUP BY 1, 2)
       SELECT a."stixUuid", a.category, a.spam, a.confidence, a."sampleText", a.reporters, a.operators, a."firstSeen", a."lastSeen",
              a."ownReported",
              (SELECT array_agg(COALESCE(h.n, 0) ORDER BY g) FROM generate_series(0, $4 - 1) g
                 LEFT JOIN hourly h ON h.campaign_id = a.id AND h.h = g) AS hourly
         FROM active a
        ORDER BY a."lastSeen" DESC
        LIMIT $5`,
      [filter.now ?? new Date(), filter.viewer, filter.sampleMinReporters, RECENT_HOURS, filter.limit ?? 500],
    );
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return rows
      .map((r) => {
        const recent = sum(r.hourly.slice(-GROWTH_HOURS));
        const before = sum(r.hourly.slice(-2 * GROWTH_HOURS, -GROWTH_HOURS));
        return { row: { ...r, growth: recent - before }, recent };
      })
      .sort((a, b) => b.row.growth - a.row.growth || b.recent - a.recent || b.row.lastSeen.getTime() - a.row.lastSeen.getTime())
      .map((x) => x.row);
  }

  /**
   * The portal's look-up (GET /v1/portal/lookup): the indicators matching one
   * of the candidates that the feed shows the viewer, with their sightings
   * counted, and the shared campaigns holding them. Parameterised throughout.
   */
  lookup(filter: { viewer: string; candidates: LookupCandidate[]; sampleMinReporters: number }) {
    return lookup(this.pool, filter);
  }

  /** The portal's campaign page of a shared campaign (by its STIX uuid); undefined when the feed does not show it. */
  campaignPage(filter: { viewer: string; stixUuid: string; sampleMinReporters: number }) {
    return campaignPage(this.pool, filter);
  }
}
