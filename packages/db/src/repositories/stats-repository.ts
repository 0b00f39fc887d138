import { REPORT_DIMENSIONS, type ReportDimension } from '@srs/core';
import type { Pool } from '../pool';

export type StatsMeasure = 'reports' | 'campaigns' | 'indicators';

/** The rollup column of each dimension of core's report cube, and of the operator. */
const REPORT_COLUMNS = {
  category: 'category',
  operator: 'operator_id',
  country: 'origin_country',
  sender_type: 'sender_type',
  link: 'link_kind',
} as const satisfies Record<ReportDimension | 'operator', string>;

/** Breakdowns and filters each measure has, and the rollup column behind each. */
const MEASURES = {
  reports: { table: 'stats_reports', count: 'reports', columns: REPORT_COLUMNS },
  campaigns: { table: 'stats_campaigns', count: 'campaigns', columns: { category: 'category' } },
  indicators: { table: 'stats_indicators', count: 'indicators', columns: { category: 'category', type: 'type' } },
} as const;

/** The report cube's dimensions in the order of their cuboid bits (core REPORT_DIMENSIONS). */
const REPORT_CUBE_DIMENSIONS = (Object.keys(REPORT_DIMENSIONS) as ReportDimension[]).sort(
  (a, b) => REPORT_DIMENSIONS[a] - REPORT_DIMENSIONS[b],
);

/** The cuboid that keeps no dimension: the totals. */
const TOTALS = 0;

export type StatsDimension<M extends StatsMeasure> = keyof (typeof MEASURES)[M]['columns'];

export function measureDimensions(measure: StatsMeasure): string[] {
  return Object.keys(MEASURES[measure].columns);
}

/** The dimensions of a measure's cube, in cuboid bit order (the operator is the contributor, not a dimension). */
export function cubeDimensions(measure: StatsMeasure): string[] {
  return measure === 'reports' ? [...REPORT_CUBE_DIMENSIONS] : measureDimensions(measure);
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
  count: number;
}

/** One row of a measure's cube: a cuboid's cell in a bucket, from one contributor (the operator, for reports). */
export interface StatsCubeRow {
  /** bucket start, milliseconds since the epoch */
  bucket: number;
  /** reports: the cuboid; campaigns and indicators keep every dimension (the finest cuboid) */
  cuboid: number;
  /** one value per dimension of `cubeDimensions(measure)`, '' outside the cuboid */
  values: string[];
  contributor?: string;
  count: number;
}

/** One row of the domain cube: stats_domains' cuboid (core REPORT_DIMENSIONS' category and country bits) and values. */
export interface DomainCubeRow extends DomainCountRow {
  cuboid: number;
  category: string;
  country: string;
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

  /**
   * Every row of a measure's cube in [from, to) at a grain (hour or day):
   * the reports' cuboids listed (all when not given), the finest cells of
   * campaigns and indicators. What the joint disclosure control of a week reads.
   */
  async cubeRows(measure: StatsMeasure, grain: 'hour' | 'day', from: Date, to: Date, cuboids?: readonly number[]): Promise<StatsCubeRow[]> {
    const bucket = `(extract(epoch FROM bucket) * 1000)::float8 AS bucket`;
    if (measure === 'reports') {
      const values = REPORT_CUBE_DIMENSIONS.map((d, i) => `${REPORT_COLUMNS[d]} AS v${i}`).join(', ');
      const { rows } = await this.pool.query<
        { bucket: number; cuboid: number; contributor: string; count: number } & Record<`v${number}`, string>
      >(
        `SELECT ${bucket}, cuboid, ${values}, operator_id AS contributor, reports AS count
           FROM stats_reports WHERE grain = $1 AND bucket >= $2 AND bucket < $3 AND reports > 0 AND ($4::int[] IS NULL OR cuboid = ANY($4))`,
        [grain, from, to, cuboids ? [...cuboids] : null],
      );
      return rows.map((r) => ({
        bucket: r.bucket,
        cuboid: r.cuboid,
        values: REPORT_CUBE_DIMENSIONS.map((_, i) => r[`v${i}`]!),
        contributor: r.contributor,
        count: r.count,
      }));
    }
    const spec = MEASURES[measure];
    const columns = Object.values(spec.columns);
    const { rows } = await this.pool.query<{ bucket: number; values: string[]; count: number }>(
      `SELECT ${bucket}, ARRAY[${columns.join(', ')}] AS values, sum(${spec.count})::int AS count
         FROM ${spec.table} WHERE grain = $1 AND bucket >= $2 AND bucket < $3
        GROUP BY 1, 2 HAVING sum(${spec.count}) > 0`,
      [grain, from, to],
    );
    return rows.map((r) => ({ bucket: r.bucket, cuboid: (1 << columns.length) - 1, values: r.values, count: r.count }));
  }

  /**
   * A fingerprint of each week's hourly (domains: weekly) counts in [from, to) (ISO week start
   * in ms → version): their sum and number of rows. Rollups only grow, so a
   * week whose fingerprint is unchanged holds the same counts.
   */
  async weekVersions(measure: StatsMeasure | 'domains', from: Date, to: Date): Promise<Map<number, string>> {
    const source =
      measure === 'domains'
        ? { table: 'stats_domains', time: 'week', count: 'reports', where: `cuboid = ${TOTALS}` }
        : measure === 'reports'
          ? { table: 'stats_reports', time: 'bucket', count: 'reports', where: `grain = 'hour' AND cuboid = ${TOTALS}` }
          : { table: MEASURES[measure].table, time: 'bucket', count: MEASURES[measure].count, where: `grain = 'hour'` };
    const { rows } = await this.pool.query<{ week: number; version: string }>(
      `SELECT (extract(epoch FROM date_trunc('week', ${source.time} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') * 1000)::float8 AS week,
              sum(${source.count})::text || ':' || count(*)::text AS version
         FROM ${source.table} WHERE ${source.where} AND ${source.time} >= $1 AND ${source.time} < $2
        GROUP BY 1`,
      [from, to],
    );
    return new Map(rows.map((r) => [r.week, r.version]));
  }

  /** Every cuboid of the domain cube in [from, to), by week. */
  async domainCubeRows(from: Date, to: Date): Promise<DomainCubeRow[]> {
    const { rows } = await this.pool.query<DomainCubeRow>(
      `SELECT week, cuboid, category, origin_country AS country, domain, tld, operator_id AS contributor, reports AS count
         FROM stats_domains WHERE week >= $1 AND week < $2 AND reports > 0`,
      [from, to],
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

  /** Reports received since `since`, per minute and category (pending until analysed). */
  async liveCounts(since: Date, until?: Date): Promise<LiveCountRow[]> {
    const { rows } = await this.pool.query<LiveCountRow>(
      `SELECT date_trunc('minute', received_at) AS minute, COALESCE(category, 'pending') AS category, count(*)::int AS count
         FROM reports WHERE received_at >= $1 AND ($2::timestamptz IS NULL OR received_at < $2)
        GROUP BY 1, 2`,
      [since, until ?? null],
    );
    return rows;
  }

  async meta(): Promise<StatsMetaRow> {
    const { category, country, sender_type } = REPORT_DIMENSIONS;
    const { rows } = await this.pool.query<StatsMetaRow>(
      `SELECT
         ARRAY(SELECT DISTINCT category FROM stats_reports WHERE grain = 'day' AND cuboid = ${category} ORDER BY 1) AS categories,
         ARRAY(SELECT DISTINCT origin_country FROM stats_reports WHERE grain = 'day' AND cuboid = ${country} ORDER BY 1) AS countries,
         ARRAY(SELECT DISTINCT sender_type FROM stats_reports WHERE grain = 'day' AND cuboid = ${sender_type} ORDER BY 1) AS "senderTypes",
         ARRAY(SELECT DISTINCT type FROM stats_indicators WHERE grain = 'day' ORDER BY 1) AS "indicatorTypes",
         COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.id) FROM operators o
                    WHERE NOT EXISTS (SELECT 1 FROM federation_peers p WHERE p.operator_id = o.id)), '[]'::json) AS operators,
         (SELECT min(bucket) FROM stats_reports WHERE grain = 'day' AND cuboid = ${TOTALS}) AS "firstBucket",
         (SELECT max(bucket) FROM stats_reports WHERE grain = 'hour' AND cuboid = ${TOTALS}) AS "lastBucket"`,
    );
    return rows[0]!;
  }
}
