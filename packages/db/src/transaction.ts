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

/** A transaction that writes what the sharing feed shows: holds FEED_WRITE_LOCK before taking sequence values. */
export function inFeedTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [FEED_WRITE_LOCK]);
    return work(client);
  });
}
