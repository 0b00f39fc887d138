import type { Pool } from '../pool';

export type StatsMeasure = 'reports' | 'campaigns' | 'indicators';

/** Breakdowns and filters each measure has, and the rollup column behind each. */
const MEASURES = {
  reports: {
    table: 'stats_reports',
    count: 'reports',
    contributor: 'operator_id',
    columns: { category: 'category', operator: 'operator_id', country: 'origin_country', sender_type: 'sender_type', link: 'link_kind' },
  },
  campaigns: { table: 'stats_campaigns', count: 'campaigns', contributor: null, columns: { category: 'category' } },
  indicators: { table: 'stats_indicators', count: 'indicators', contributor: null, columns: { category: 'category', type: 'type' } },
} as const;

export type StatsDimension<M extends StatsMeasure> = keyof (typeof MEASURES)[M]['columns'];

export function measureDimensions(measure: StatsMeasure): string[] {
  return Object.keys(MEASURES[measure].columns);
}

export interface StatsCountQuery {
  measure: StatsMeasure;
  /** week: the daily rollup added up by ISO week */
  grain: 'hour' | 'day' | 'week';
  from: Date;
  to: Date;
  /** breakdown dimension; null: totals only */
  by: string | null;
  /** dimension → value */
  filters: Record<string, string>;
  /** reports: the cuboid holding exactly the breakdown and filter dimensions (see @srs/core cuboidOf) */
  cuboid?: number;
}

export interface StatsCountRow {
  /** bucket start, milliseconds since the epoch */
  bucket: number;
  /** the breakdown value, '*' without a breakdown */
  key: string;
  /** the operator, where the measure has one */
  contributor?: string;
  count: number;
}

export interface DomainCountRow {
  week: Date;
  domain: string;
  tld: string;
  contributor: string;
  count: number;
}

export interface ShareDelayRow {
  day: Date;
  bin: number;
  count: number;
}

export interface LiveCountRow {
  minute: Date;
  category: string;
  contributor: string;
  count: number;
}

export interface StatsMetaRow {
  categories: string[];
  countries: string[];
  senderTypes: string[];
  indicatorTypes: string[];
  operators: Array<{ id: string; name: string }>;
  firstBucket: Date | null;
  lastBucket: Date | null;
}

/**
 * The statistics service's reads: sums from the rollups, never a report. The
 * only raw table read is `reports` for the live counters, and then only
 * counts per minute and category.
 */
export class StatsRepository {
  constructor(private readonly pool: Pool) {}

  async counts(query: StatsCountQuery): Promise<StatsCountRow[]> {
    const spec = MEASURES[query.measure];
    const columns = spec.columns as Record<string, string>;
    const byColumn = query.by === null ? null : columns[query.by];
    if (query.by !== null && !byColumn) throw new Error(`${query.measure} has no breakdown ${query.by}`);
    const params: unknown[] = [query.grain === 'week' ? 'day' : query.grain, query.from, query.to];
    const where = ['grain = $1', 'bucket >= $2', 'bucket < $3'];
    if (query.measure === 'reports') {
      if (query.cuboid === undefined) throw new Error('reports are read from one cuboid');
      params.push(query.cuboid);
      where.push(`cuboid = $${params.length}`);
    }
    for (const [dimension, value] of Object.entries(query.filters)) {
      const column = columns[dimension];
      if (!column) throw new Error(`${query.measure} has no filter ${dimension}`);
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const key = byColumn ?? `'*'`;
    const contributor = spec.contributor ? `${spec.contributor}` : 'NULL';
    // Epoch milliseconds: thousands of rows parse faster as numbers than as dates.
    const bucket = query.grain === 'week' ? `date_trunc('week', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'` : 'bucket';
    const { rows } = await this.pool.query<{ bucket: number; key: string; contributor: string | null; count: number }>(
      `SELECT (extract(epoch FROM ${bucket}) * 1000)::float8 AS bucket, ${key} AS key, ${contributor} AS contributor, sum(${spec.count})::int AS count
         FROM ${spec.table} WHERE ${where.join(' AND ')}
        GROUP BY 1, 2, 3`,
      params,
    );
    return rows.map((r) => (r.contributor === null ? { bucket: r.bucket, key: r.key, count: r.count } : { ...r, contributor: r.contributor }));
  }

  /** Domains linked to in spam reports of the period, by week, from the cuboid of the filters given. */
  async domainCounts(query: { from: Date; to: Date; category?: string; country?: string }): Promise<DomainCountRow[]> {
    const cuboid = (query.category === undefined ? 0 : 1) | (query.country === undefined ? 0 : 2);
    const { rows } = await this.pool.query<DomainCountRow>(
      `SELECT week, domain, tld, operator_id AS contributor, reports AS count
         FROM stats_domains
        WHERE cuboid = $1 AND week >= $2 AND week < $3 AND category = $4 AND origin_country = $5`,
      [cuboid, query.from, query.to, query.category ?? '', query.country ?? ''],
    );
    return rows;
  }

  async shareDelays(query: { from: Date; to: Date; category?: string }): Promise<ShareDelayRow[]> {
    const { rows } = await this.pool.query<ShareDelayRow>(
      `SELECT day, bin, sum(indicators)::int AS count FROM stats_share_delays
        WHERE day >= $1 AND day < $2 AND ($3::text IS NULL OR category = $3)
        GROUP BY 1, 2`,
      [query.from, query.to, query.category ?? null],
    );
    return rows;
  }

  /** Reports received since `since`, per minute, category (pending until analysed) and operator. */
  async liveCounts(since: Date): Promise<LiveCountRow[]> {
    const { rows } = await this.pool.query<LiveCountRow>(
      `SELECT date_trunc('minute', received_at) AS minute, COALESCE(category, 'pending') AS category,
              operator_id AS contributor, count(*)::int AS count
         FROM reports WHERE received_at >= $1
        GROUP BY 1, 2, 3`,
      [since],
    );
    return rows;
  }

  async meta(): Promise<StatsMetaRow> {
    const { rows } = await this.pool.query<StatsMetaRow>(
      `SELECT
         ARRAY(SELECT DISTINCT category FROM stats_reports WHERE grain = 'day' AND cuboid = 1 ORDER BY 1) AS categories,
         ARRAY(SELECT DISTINCT origin_country FROM stats_reports WHERE grain = 'day' AND cuboid = 2 ORDER BY 1) AS countries,
         ARRAY(SELECT DISTINCT sender_type FROM stats_reports WHERE grain = 'day' AND cuboid = 4 ORDER BY 1) AS "senderTypes",
         ARRAY(SELECT DISTINCT type FROM stats_indicators WHERE grain = 'day' ORDER BY 1) AS "indicatorTypes",
         COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY id) FROM operators), '[]'::json) AS operators,
         (SELECT min(bucket) FROM stats_reports WHERE grain = 'day' AND cuboid = 0) AS "firstBucket",
         (SELECT max(bucket) FROM stats_reports WHERE grain = 'hour' AND cuboid = 0) AS "lastBucket"`,
    );
    return rows[0]!;
  }
}
