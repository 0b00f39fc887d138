import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolSettings {
  url: string;
  max?: number;
  applicationName?: string;
}

export function createPool({ url, max = 10, applicationName = 'srs' }: PoolSettings): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // A client losing its connection must not crash the process, idle (the pool's
  // 'error') or checked out (its own 'error', which pg emits with no listener of
  // its own while a caller holds the client): the query in flight rejects, the
  // caller retries, and the pool opens a new connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export async function ping(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
