import type { Pool } from '../pool';
import { indicatorFeedbackCounts } from './indicator-feedback';
import { indicatorHistory, type IndicatorHistoryPoint } from './indicator-history';
import { publishedVisibleTo } from './published-visibility';
import { portalCampaignColumns, SHARED_CAMPAIGN, type PortalCampaign } from './shared-campaigns';

/** An indicator a portal look-up found, as the feed shares it, with the feedback (sightings) it received. */
export interface LookupIndicator {
  /** the feed id: `c<n>` for the consortium's, `p<n>` for an operator's published one */
  id: string;
  source: string;
  tlp: string;
  type: string;
  value: string;
  ascii: string | null;
  category: string;
  /** the current confidence (a consortium indicator's score) */
  confidence: number;
  /** false: withdrawn from the feed */
  shared: boolean;
  status: string;
  reporters: number | null;
  operators: number | null;
  firstSeen: Date;
  lastSeen: Date;
  updatedAt: Date;
  blocked: number;
  falsePositive: number;
  lastFeedbackAt: Date | null;
  /** its confidence, status and sharing over time, oldest first */
  history: IndicatorHistoryPoint[];
}

/** A campaign a portal look-up found (through one of the indicators found), shared like the feed's. */
export interface LookupCampaign extends PortalCampaign {
  /** the feed ids of the indicators found that it holds */
  indicatorIds: string[];
}

/** What a look-up matches: an indicator type and its normalised value (core's normalisers). */
export interface LookupCandidate {
  type: string;
  value: string;
}

const LOOKUP_LIMIT = 200;

/**
 * The portal's look-up: the indicators with one of the candidates' type and
 * value (a domain by its Unicode or punycode form) that the feed shows the
 * viewer (the consortium's once published; operators' by publishedVisibleTo),
 * each with its sightings counted, and the shared campaigns that hold them.
 */
export async function lookup(
  pool: Pool,
  filter: { viewer: string; candidates: LookupCandidate[]; sampleMinReporters: number },
): Promise<{ indicators: LookupIndicator[]; campaigns: LookupCampaign[] }> {
  const types = filter.candidates.map((c) => c.type);
  const values = filter.candidates.map((c) => c.value);
  const { rows: indicators } = await pool.query<LookupIndicator>(
    `WITH q AS (SELECT * FROM unnest($2::text[], $3::text[]) AS q(type, value)),
          found AS (
            SELECT 'c' || i.id AS id, 'consortium' AS source, 'green' AS tlp, i.type, i.value, i.ascii, i.category,
                   i.score AS confidence, i.publishable AS shared, i.status, i.reporter_count AS reporters, i.operator_count AS operators,
                   i.first_seen AS "firstSeen", i.last_seen AS "lastSeen", i.updated_at AS "updatedAt"
              FROM indicators i
             WHERE i.ever_published AND EXISTS (SELECT 1 FROM q WHERE q.type = i.type AND (q.value = i.value OR q.value = i.ascii))
            UNION ALL
            SELECT 'p' || p.id, p.operator_id, p.tlp, p.type, p.value, NULL, p.category, p.confidence, p.status = 'active', p.status,
                   NULL, NULL, p.created_at, p.updated_at, p.updated_at
              FROM published_indicators p
             WHERE ${publishedVisibleTo('$1', 'p')} AND EXISTS (SELECT 1 FROM q WHERE q.type = p.type AND q.value = p.value))
     SELECT f.*, ${indicatorFeedbackCounts.columns}, ${indicatorHistory.column}
       FROM found f
       ${indicatorFeedbackCounts.join('f.id')}
       ${indicatorHistory.join('f.id')}
      ORDER BY f."lastSeen" DESC, f.id
      LIMIT $4`,
    [filter.viewer, types, values, LOOKUP_LIMIT],
  );
  const consortium = indicators.filter((i) => i.id.startsWith('c')).map((i) => i.id.slice(1));
  if (consortium.length === 0) return { indicators, campaigns: [] };
  const { rows: campaigns } = await pool.query<LookupCampaign>(
    `SELECT ${portalCampaignColumns('$3', '$2')},
            array_agg('c' || ci.indicator_id ORDER BY ci.indicator_id) AS "indicatorIds"
       FROM campaigns c JOIN campaign_indicators ci ON ci.campaign_id = c.id
      WHERE ${SHARED_CAMPAIGN} AND ci.indicator_id = ANY($1::bigint[])
      GROUP BY c.id
      ORDER BY c.last_seen DESC
      LIMIT $4`,
    [consortium, filter.viewer, filter.sampleMinReporters, LOOKUP_LIMIT],
  );
  return { indicators, campaigns };
}
