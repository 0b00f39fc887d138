import type { CountableReport } from '@srs/core';
import type { Pool, PoolClient } from '../pool';
import { inTransaction } from '../transaction';
import { RECEIVED_AT_SLACK } from './received-at';

/** A report ready to be counted: analysed, and its conversation over (its sender known or known to be missing). */
export interface StatsReportRow extends CountableReport {
  id: number;
}

export interface ReportCountIncrement {
  grain: 'hour' | 'day';
  /** which dimensions the row keeps (the others are '') */
  cuboid: number;
  bucket: Date;
  operatorId: string;
  category: string;
  originCountry: string;
  senderType: string;
  linkKind: string;
  reports: number;
}

export interface DomainCountIncrement {
  week: Date;
  cuboid: number;
  domain: string;
  tld: string;
  operatorId: string;
  category: string;
  originCountry: string;
  reports: number;
}

export interface StatsCampaignRow {
  id: number;
  category: string;
  firstSeen: Date;
}

export interface StatsIndicatorRow {
  id: number;
  type: string;
  category: string;
  firstSeen: Date;
  sharedAt: Date;
}

export interface CategoryCountIncrement {
  grain: 'hour' | 'day';
  bucket: Date;
  category: string;
  /** the indicator type, for indicators */
  type?: string;
  count: number;
}

export interface ShareDelayIncrement {
  day: Date;
  category: string;
  bin: number;
  count: number;
}

/**
 * The worker's side of the statistics: takes what is ready to count, adds it
 * to the rollups and marks it counted, in one transaction. Rows are taken with
 * SKIP LOCKED, so several workers can run it and none counts a row twice.
 */
export class StatsRollupRepository {
  constructor(private readonly pool: Pool) {}

  async rollUpReports(
    limit: number,
    count: (rows: StatsReportRow[]) => { reports: ReportCountIncrement[]; domains: DomainCountIncrement[] },
  ): Promise<number> {
    return this.countReports(
      `stats_at IS NULL AND analysis_error IS NULL AND analysed_at IS NOT NULL AND NOT awaiting_sender
       AND (sender_value IS NULL OR sender_indexed_at IS NOT NULL)`,
      limit,
      count,
    );
  }

  /**
   * Moves counted reports whose campaign's verdict changed their category
   * since they were counted: `count` gives what that takes away from the old
   * category's cells and adds to the new one's, and each report is marked
   * counted under its new category in the same transaction.
   */
  async moveRecategorisedReports(
    limit: number,
    count: (rows: Array<StatsReportRow & { countedCategory: string }>) => {
      reports: ReportCountIncrement[];
      domains: DomainCountIncrement[];
    },
  ): Promise<number> {
    return this.countReports('stats_at IS NOT NULL AND stats_category IS DISTINCT FROM category', limit, count);
  }

  /**
   * Takes up to `limit` reports matching `where` (a partial index's condition), locked as they are read
   * straight from that index in every month, adds what `count` makes of them and marks them counted.
   */
  private async countReports<R extends StatsReportRow>(
    where: string,
    limit: number,
    count: (rows: R[]) => { reports: ReportCountIncrement[]; domains: DomainCountIncrement[] },
  ): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      // countedCategory: the category a counted report sits under (null before it is counted)
      const { rows } = await client.query<R>(
        `SELECT r.id::int AS id, r.operator_id AS "operatorId", o.country AS "operatorCountry", r.category, r.stats_category AS "countedCategory",
                r.received_at AS "receivedAt", r.sender_kind AS "senderKind", r.sender_value AS "senderValue",
                COALESCE(r.link_kind, 'none') AS "linkKind", COALESCE(r.link_domains, '{}') AS "linkDomains"
           FROM (
             SELECT id, operator_id, category, stats_category, received_at, sender_kind, sender_value, link_kind, link_domains FROM reports
              WHERE ${where}
              ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
           ) r JOIN operators o ON o.id = r.operator_id`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const { reports, domains } = count(rows);
      await addReportCounts(client, reports);
      await addDomainCounts(client, domains);
      await markCounted(client, rows);
      return rows.length;
    });
  }

  async rollUpCampaigns(limit: number, count: (rows: StatsCampaignRow[]) => CategoryCountIncrement[]): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<StatsCampaignRow>(
        `SELECT id::int AS id, category, first_seen AS "firstSeen" FROM campaigns
          WHERE stats_at IS NULL AND reporter_count >= 2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await addCampaignCounts(client, count(rows));
      await client.query('UPDATE campaigns SET stats_at = now(), stats_category = category WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  /** Moves counted campaigns whose verdict changed their category since, as `moveRecategorisedReports` does reports. */
  async moveRecategorisedCampaigns(
    limit: number,
    count: (rows: Array<StatsCampaignRow & { countedCategory: string }>) => CategoryCountIncrement[],
  ): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<StatsCampaignRow & { countedCategory: string }>(
        `SELECT id::int AS id, category, stats_category AS "countedCategory", first_seen AS "firstSeen" FROM campaigns
          WHERE stats_at IS NOT NULL AND stats_category IS DISTINCT FROM category ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await addCampaignCounts(client, count(rows));
      await client.query('UPDATE campaigns SET stats_category = category WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  async rollUpIndicators(
    limit: number,
    count: (rows: StatsIndicatorRow[]) => { indicators: CategoryCountIncrement[]; delays: ShareDelayIncrement[] },
  ): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<StatsIndicatorRow>(
        `SELECT id::int AS id, type, category, first_seen AS "firstSeen", shared_at AS "sharedAt" FROM indicators
          WHERE stats_at IS NULL AND shared_at IS NOT NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const { indicators, delays } = count(rows);
      await client.query(
        `INSERT INTO stats_indicators (grain, bucket, category, type, indicators)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[])
         ON CONFLICT (grain, bucket, category, type) DO UPDATE SET indicators = stats_indicators.indicators + EXCLUDED.indicators`,
        [
          indicators.map((i) => i.grain),
          indicators.map((i) => i.bucket),
          indicators.map((i) => i.category),
          indicators.map((i) => i.type ?? ''),
          indicators.map((i) => i.count),
        ],
      );
      await client.query(
        `INSERT INTO stats_share_delays (day, category, bin, indicators)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::smallint[], $4::int[])
         ON CONFLICT (day, category, bin) DO UPDATE SET indicators = stats_share_delays.indicators + EXCLUDED.indicators`,
        [delays.map((d) => d.day), delays.map((d) => d.category), delays.map((d) => d.bin), delays.map((d) => d.count)],
      );
      await client.query('UPDATE indicators SET stats_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * Retention, row by row: deletes counted reports received before `before`, a
   * batch at a time. The statistics keep them; campaigns and indicators keep
   * their counts. Months that retention drops whole are left to it: only rows
   * of months ending by `monthsBefore` (a month kept for an uncounted report)
   * and rows of the DEFAULT partition are deleted here.
   */
  async deleteCountedReportsBefore(before: Date, limit: number, monthsBefore: Date = before): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM reports r USING (
         SELECT id, received_at FROM reports
          WHERE received_at < $1 AND stats_at IS NOT NULL AND (received_at < $3 OR tableoid = 'reports_default'::regclass)
          ORDER BY received_at LIMIT $2) old
        WHERE r.id = old.id AND r.received_at = old.received_at AND r.received_at < $1`,
      [before, limit, monthsBefore],
    );
    return rowCount ?? 0;
  }
}

/** Marks reports counted, under the category they were counted in. */
async function markCounted(client: PoolClient, rows: StatsReportRow[]): Promise<void> {
  // Each report is found in its own month (run-time pruning), by the primary key.
  await client.query(
    `UPDATE reports r SET stats_at = COALESCE(r.stats_at, now()), stats_category = v.category
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS v(id, received_at, category)
      WHERE r.id = v.id AND r.received_at BETWEEN v.received_at - ${RECEIVED_AT_SLACK} AND v.received_at + ${RECEIVED_AT_SLACK}`,
    [rows.map((r) => r.id), rows.map((r) => r.receivedAt), rows.map((r) => r.category)],
  );
}

/**
 * Counts are added by upsert; what a move takes away is subtracted from the
 * cells that hold it (a proposed row may not be negative, even when it would
 * only be added to one). `params` lays a list of cells out as the statements'
 * parameters.
 */
async function writeSigned<T>(
  client: PoolClient,
  rows: T[],
  count: (row: T) => number,
  params: (list: T[]) => unknown[],
  sql: { add: string; subtract: string },
): Promise<void> {
  const added = rows.filter((r) => count(r) > 0);
  const taken = rows.filter((r) => count(r) < 0);
  if (added.length > 0) await client.query(sql.add, params(added));
  if (taken.length > 0) await client.query(sql.subtract, params(taken));
}

async function addCampaignCounts(client: PoolClient, increments: CategoryCountIncrement[]): Promise<void> {
  await writeSigned(
    client,
    increments,
    (i) => i.count,
    (list) => [list.map((i) => i.grain), list.map((i) => i.bucket), list.map((i) => i.category), list.map((i) => i.count)],
    {
      add: `INSERT INTO stats_campaigns (grain, bucket, category, campaigns)
          SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[])
          ON CONFLICT (grain, bucket, category) DO UPDATE SET campaigns = stats_campaigns.campaigns + EXCLUDED.campaigns`,
      subtract: `UPDATE stats_campaigns s SET campaigns = s.campaigns + v.campaigns
                 FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[]) AS v(grain, bucket, category, campaigns)
                WHERE s.grain = v.grain AND s.bucket = v.bucket AND s.category = v.category`,
    },
  );
}

async function addReportCounts(client: PoolClient, rows: ReportCountIncrement[]): Promise<void> {
  const params = (list: ReportCountIncrement[]) => [
    list.map((r) => r.grain),
    list.map((r) => r.bucket),
    list.map((r) => r.operatorId),
    list.map((r) => r.category),
    list.map((r) => r.originCountry),
    list.map((r) => r.senderType),
    list.map((r) => r.linkKind),
    list.map((r) => r.reports),
    list.map((r) => r.cuboid),
  ];
  const cells = `unnest($1::text[], $9::smallint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`;
  await writeSigned(client, rows, (r) => r.reports, params, {
    add: `INSERT INTO stats_reports (grain, cuboid, bucket, operator_id, category, origin_country, sender_type, link_kind, reports)
          SELECT * FROM ${cells}
          ON CONFLICT (grain, cuboid, bucket, category, origin_country, sender_type, link_kind, operator_id)
            DO UPDATE SET reports = stats_reports.reports + EXCLUDED.reports`,
    subtract: `UPDATE stats_reports s SET reports = s.reports + v.reports
                 FROM ${cells} AS v(grain, cuboid, bucket, operator_id, category, origin_country, sender_type, link_kind, reports)
                WHERE (s.grain, s.cuboid, s.bucket, s.category, s.origin_country, s.sender_type, s.link_kind, s.operator_id)
                    = (v.grain, v.cuboid, v.bucket, v.category, v.origin_country, v.sender_type, v.link_kind, v.operator_id)`,
  });
}

async function addDomainCounts(client: PoolClient, rows: DomainCountIncrement[]): Promise<void> {
  const params = (list: DomainCountIncrement[]) => [
    list.map((r) => r.week),
    list.map((r) => r.domain),
    list.map((r) => r.tld),
    list.map((r) => r.operatorId),
    list.map((r) => r.category),
    list.map((r) => r.originCountry),
    list.map((r) => r.reports),
    list.map((r) => r.cuboid),
  ];
  const cells = `unnest($1::timestamptz[], $8::smallint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])`;
  await writeSigned(client, rows, (r) => r.reports, params, {
    add: `INSERT INTO stats_domains (week, cuboid, domain, tld, operator_id, category, origin_country, reports)
          SELECT * FROM ${cells}
          ON CONFLICT (cuboid, week, category, origin_country, domain, operator_id) DO UPDATE SET reports = stats_domains.reports + EXCLUDED.reports`,
    subtract: `UPDATE stats_domains s SET reports = s.reports + v.reports
                 FROM ${cells} AS v(week, cuboid, domain, tld, operator_id, category, origin_country, reports)
                WHERE (s.cuboid, s.week, s.category, s.origin_country, s.domain, s.operator_id) = (v.cuboid, v.week, v.category, v.origin_country, v.domain, v.operator_id)`,
  });
}
