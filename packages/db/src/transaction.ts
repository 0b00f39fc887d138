import { NOTIFY_CHANNELS } from './notifications';
import type { Pool, PoolClient } from './pool';

/**
 * Every transaction that takes values of `change_seq` holds this lock until it
 * commits, so sequence numbers become visible in the order they were taken:
 * a feed reader paging by sequence never skips a change committed late.
 */
export const FEED_WRITE_LOCK = 726_0005;

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * A transaction that writes what the sharing feed shows: holds FEED_WRITE_LOCK
 * before taking sequence values. When it took any, it notifies `srs_changes`
 * (NOTIFY_CHANNELS.changes) once, with the sequence's value: PostgreSQL sends
 * it at commit, so the streams and webhook dispatchers it wakes read the change.
 */
export function inFeedTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ before: string }>(
      `SELECT pg_advisory_xact_lock($1), (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_seq)::text AS before`,
      [FEED_WRITE_LOCK],
    );
    const result = await work(client);
    await client.query(`SELECT pg_notify($1, last_value::text) FROM change_seq WHERE is_called AND last_value > $2`, [
      NOTIFY_CHANNELS.changes,
      rows[0]!.before,
    ]);
    return result;
  });
}
