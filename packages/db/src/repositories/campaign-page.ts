import type { Pool } from '../pool';
import { indicatorFeedbackCounts } from './indicator-feedback';
import type { LookupIndicator } from './portal-lookup';
import { indicatorHistory } from './indicator-history';
import { portalCampaignColumns, SHARED_CAMPAIGN, sharedCampaignTime, type PortalCampaign } from './shared-campaigns';

/** A campaign of the portal's campaign page, shared like the feed's, with why it was judged so. */
export interface CampaignSummary extends PortalCampaign {
  language: string;
  reports: number;
  updatedAt: Date;
  /** each term of its verdict's log-odds (docs/INTELLIGENCE.md); null before its first verdict */
  verdictTerms: Record<string, number> | null;
}

/** One of the consortium's indicators a campaign holds, as the feed shares it, with its feedback and history (as a look-up finds it). */
export type CampaignIndicator = Omit<LookupIndicator, 'source' | 'tlp' | 'reporters' | 'operators'> & {
  stixUuid: string;
  reporters: number;
  operators: number;
};

/** Reports of one bucket: the viewer's own network by name, every other operator only as a sum. */
export interface TimelineBucket {
  start: Date;
  own: number;
  others: number;
}

export interface CampaignTimeline {
  grain: 'hour' | 'day';
  buckets: TimelineBucket[];
}

/** Another shared campaign holding at least one of the same shared indicators. */
export interface RelatedCampaign extends Pick<
  PortalCampaign,
  'stixUuid' | 'category' | 'spam' | 'confidence' | 'reporters' | 'operators' | 'lastSeen'
> {
  sharedIndicators: number;
}

export interface CampaignPage {
  campaign: CampaignSummary;
  indicators: CampaignIndicator[];
  timeline: CampaignTimeline;
  related: RelatedCampaign[];
}

/** A campaign shorter than this is drawn by the hour, a longer one by the day. */
const HOURLY_SPAN_MS = 48 * 3_600_000;
/**
 * The reports of a campaign are found through their received_at (reports are
 * partitioned by it and have no index by campaign, see migration 011), so the
 * timeline reads at most this many days back from the campaign's last report.
 */
export const TIMELINE_DAYS = 14;
const RELATED_LIMIT = 50;
const INDICATOR_LIMIT = 200;

/**
 * The portal's campaign page (GET /v1/portal/campaigns/:id): a shared campaign
 * by its STIX uuid, its published indicators with their feedback, its reports
 * over time (the viewer's own network apart, the others summed) and the
 * shared campaigns it has shared indicators with. Undefined for a campaign the
 * feed does not show.
 */
export async function campaignPage(
  pool: Pool,
  filter: { viewer: string; stixUuid: string; sampleMinReporters: number },
): Promise<CampaignPage | undefined> {
  const { rows } = await pool.query<CampaignSummary & { id: string; realFirst: Date; realLast: Date }>(
    `SELECT c.id::text AS id, ${portalCampaignColumns('$3', '$2')}, c.language, c.report_count AS reports,
            ${sharedCampaignTime('c.updated_at', 'c.reporter_count', '$3')} AS "updatedAt",
            c.verdict_terms AS "verdictTerms", c.first_seen AS "realFirst", c.last_seen AS "realLast"
       FROM campaigns c
      WHERE c.stix_uuid = $1::uuid AND ${SHARED_CAMPAIGN}`,
    [filter.stixUuid, filter.viewer, filter.sampleMinReporters],
  );
  const found = rows[0];
  if (!found) return undefined;
  const { id, realFirst, realLast, ...campaign } = found;
  const [indicators, timeline, related] = await Promise.all([
    campaignIndicators(pool, id),
    campaignTimeline(pool, { id, viewer: filter.viewer, first: realFirst, last: realLast }),
    relatedCampaigns(pool, id, filter.sampleMinReporters),
  ]);
  return { campaign, indicators, timeline, related };
}

async function campaignIndicators(pool: Pool, campaignId: string): Promise<CampaignIndicator[]> {
  const { rows } = await pool.query<CampaignIndicator>(
    `SELECT f.*, ${indicatorFeedbackCounts.columns}, ${indicatorHistory.column}
       FROM (SELECT 'c' || i.id AS id, i.stix_uuid::text AS "stixUuid", i.type, i.value, i.ascii, i.category, i.score AS confidence, i.publishable AS shared, i.status,
                    i.reporter_count AS reporters, i.operator_count AS operators, i.first_seen AS "firstSeen",
                    i.last_seen AS "lastSeen", i.updated_at AS "updatedAt"
               FROM campaign_indicators ci JOIN indicators i ON i.id = ci.indicator_id
              WHERE ci.campaign_id = $1 AND i.ever_published) f
       ${indicatorFeedbackCounts.join('f.id')}
       ${indicatorHistory.join('f.id')}
      ORDER BY f.shared DESC, f.confidence DESC, f.id
      LIMIT $2`,
    [campaignId, INDICATOR_LIMIT],
  );
  return rows;
}

/**
 * Reports per UTC hour (a campaign of up to two days) or per UTC day (the last
 * TIMELINE_DAYS of a longer one), every bucket present, oldest first.
 */
async function campaignTimeline(pool: Pool, c: { id: string; viewer: string; first: Date; last: Date }): Promise<CampaignTimeline> {
  const grain = c.last.getTime() - c.first.getTime() <= HOURLY_SPAN_MS ? 'hour' : 'day';
  const unit = grain === 'hour' ? 3_600_000 : 86_400_000;
  const floor = (d: Date) => new Date(Math.floor(d.getTime() / unit) * unit);
  const end = floor(c.last);
  const start =
    grain === 'hour' ? floor(c.first) : new Date(Math.max(floor(c.first).getTime(), end.getTime() - (TIMELINE_DAYS - 1) * unit));
  const { rows } = await pool.query<{ bucket: Date; own: number; others: number }>(
    `SELECT date_trunc($4, received_at, 'UTC') AS bucket,
            count(*) FILTER (WHERE operator_id = $5)::int AS own,
            count(*) FILTER (WHERE operator_id <> $5)::int AS others
       FROM reports
      WHERE received_at >= $2 AND received_at <= $3 AND campaign_id = $1
      GROUP BY 1`,
    [c.id, start, c.last, grain, c.viewer],
  );
  const counted = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  const buckets: TimelineBucket[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += unit) {
    const r = counted.get(t);
    buckets.push({ start: new Date(t), own: r?.own ?? 0, others: r?.others ?? 0 });
  }
  return { grain, buckets };
}

async function relatedCampaigns(pool: Pool, campaignId: string, sampleMinReporters: number): Promise<RelatedCampaign[]> {
  const { rows } = await pool.query<RelatedCampaign>(
    `SELECT c.stix_uuid::text AS "stixUuid", c.category, c.spam, c.confidence, c.reporter_count AS reporters,
            c.operator_count AS operators, ${sharedCampaignTime('c.last_seen', 'c.reporter_count', '$3')} AS "lastSeen",
            count(DISTINCT mine.indicator_id)::int AS "sharedIndicators"
       FROM campaign_indicators mine
       JOIN indicators i ON i.id = mine.indicator_id AND i.ever_published
       JOIN campaign_indicators other ON other.indicator_id = mine.indicator_id AND other.campaign_id <> mine.campaign_id
       JOIN campaigns c ON c.id = other.campaign_id
      WHERE mine.campaign_id = $1 AND ${SHARED_CAMPAIGN}
      GROUP BY c.id
      ORDER BY "sharedIndicators" DESC, c.last_seen DESC
      LIMIT $2`,
    [campaignId, RELATED_LIMIT, sampleMinReporters],
  );
  return rows;
}
