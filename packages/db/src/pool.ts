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
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export async function ping(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
