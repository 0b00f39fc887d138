import { createPool, dropDatabase, ensureDatabase, migrate, seedDemoConsortium, type Pool } from '@srs/db';
import { uniqueSuffix } from './ids';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export function baseDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/srs';
}

/** A fresh, migrated and seeded database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = new URL(baseDatabaseUrl());
  url.pathname = `/srs_test_${uniqueSuffix()}`;
  await ensureDatabase(url.toString());
  const pool = createPool({ url: url.toString(), max: 5, applicationName: 'srs-test' });
  await migrate(pool);
  await seedDemoConsortium(pool);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await dropDatabase(url.toString());
    },
  };
}
