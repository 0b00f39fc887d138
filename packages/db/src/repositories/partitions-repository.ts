import pg from 'pg';
import type { Pool, PoolClient } from '../pool';
import { inTransaction } from '../transaction';

/** The tables partitioned by month (migration 009). */
export type PartitionedTable = 'reports' | 'audit_log';

export interface PartitionRow {
  name: string;
  /** null for the DEFAULT partition */
  from: Date | null;
  to: Date | null;
}

export type DropOutcome = 'dropped' | 'uncounted' | 'busy' | 'missing';

/** Lock waits longer than this give up: the DDL is retried by the next run rather than queueing every query behind it. */
const LOCK_TIMEOUT = '5s';

/**
 * Monthly partitions: made ahead of time, listed, and dropped by retention.
 * The DDL itself is in ensure_month_partition (migration 009), so the worker and
 * the migration make partitions the same way.
 */
export class PartitionsRepository {
  constructor(private readonly pool: Pool) {}

  /** Partitions of `table` with their bounds, oldest first, the DEFAULT partition last. */
  async list(table: PartitionedTable): Promise<PartitionRow[]> {
    // The bounds print in the session's time zone, with its offset: PostgreSQL reads them back.
    const { rows } = await this.pool.query<PartitionRow>(
      `SELECT name, bound[1]::timestamptz AS "from", bound[2]::timestamptz AS "to"
         FROM (SELECT c.relname AS name, regexp_match(pg_get_expr(c.relpartbound, c.oid), $2) AS bound
                 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = $1::regclass) p
        ORDER BY "from" NULLS LAST`,
      [table, String.raw`^FOR VALUES FROM \('([^']+)'\) TO \('([^']+)'\)$`],
    );
    return rows;
  }

  /**
   * Makes the partition of the UTC month starting at `monthStart` unless it
   * exists, moving that month's rows out of the DEFAULT partition. Safe to run
   * from several workers at once. Returns the name of a partition it made.
   */
  async ensureMonth(table: PartitionedTable, monthStart: Date): Promise<string | null> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT set_config('lock_timeout', $1, true)`, [LOCK_TIMEOUT]);
      const { rows } = await client.query<{ made: string | null }>('SELECT ensure_month_partition($1::regclass, $2) AS made', [
        table,
        monthStart,
      ]);
      return rows[0]!.made;
    });
  }

  /** Whether any report in this partition of `reports` is still to be counted in the statistics (an index probe). */
  async hasUncountedReports(partition: string): Promise<boolean> {
    return this.anyUncounted(await this.reportsPartition(partition));
  }

  private async anyUncounted(quoted: string, db: Pool | PoolClient = this.pool): Promise<boolean> {
    const { rows } = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoted} WHERE stats_at IS NULL) AS any`);
    return rows[0]!.any;
  }

  /**
   * Drops a month of `reports` whose every report is counted. It is detached
   * first, which locks `reports` until the commit, so no report can arrive in
   * it between the check and the drop; a month with an uncounted report is
   * attached again (the transaction rolls back). Short: a catalogue change and
   * an index probe.
   */
  async dropCountedReportsPartition(partition: string): Promise<DropOutcome> {
    const name = await this.reportsPartition(partition).catch(() => undefined);
    if (!name) return 'missing';
    // Checked first without a lock: a month known to hold an uncounted report is not locked for nothing.
    if (await this.anyUncounted(name)) return 'uncounted';
    try {
      return await inTransaction(this.pool, async (client) => {
        await client.query(`SELECT set_config('lock_timeout', $1, true)`, [LOCK_TIMEOUT]);
        await client.query(`ALTER TABLE reports DETACH PARTITION ${name}`);
        if (await this.anyUncounted(name, client)) throw new Uncounted();
        await client.query(`DROP TABLE ${name}`);
        return 'dropped' as const;
      });
    } catch (err) {
      if (err instanceof Uncounted) return 'uncounted';
      // lock_not_available: a long query held reports; the next run tries again.
      if ((err as { code?: string }).code === '55P03') return 'busy';
      throw err;
    }
  }

  /** A month partition of reports, quoted, after checking that it is one (the name goes into DDL). */
  private async reportsPartition(partition: string): Promise<string> {
    const { rows } = await this.pool.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       WHERE i.inhparent = 'reports'::regclass AND c.relname = $1 AND c.relname <> 'reports_default') AS ok`,
      [partition],
    );
    if (!rows[0]!.ok) throw new Error(`${partition} is not a month partition of reports`);
    return pg.escapeIdentifier(partition);
  }
}

class Uncounted extends Error {}
