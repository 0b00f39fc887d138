import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, dropDatabase, ensureDatabase, migrate, readMigrations, type Pool } from '@srs/db';
import { baseDatabaseUrl, uniqueSuffix } from '@srs/testkit';

describe('migrations', () => {
  let url: string;
  let pool: Pool;

  beforeEach(async () => {
    const u = new URL(baseDatabaseUrl());
    u.pathname = `/srs_test_${uniqueSuffix()}`;
    url = u.toString();
    await ensureDatabase(url);
    pool = createPool({ url, max: 8 });
  });

  afterEach(async () => {
    await pool.end();
    await dropDatabase(url);
  });

  it('creates the schema once, even when several processes start together', async () => {
    const runs = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    const all = await readMigrations();
    expect(runs.flat().sort((a, b) => a - b)).toEqual(all.map((m) => m.version));
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
    await expect(migrate(pool)).resolves.toEqual([]);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    writeFileSync(path.join(dir, '001_first.sql'), 'CREATE TABLE t (id int);');
    await migrate(pool, dir);
    writeFileSync(path.join(dir, '001_first.sql'), 'CREATE TABLE t (id bigint);');
    await expect(migrate(pool, dir)).rejects.toThrow(/001_first was changed/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    writeFileSync(path.join(dir, '001_ok.sql'), 'CREATE TABLE a (id int);');
    writeFileSync(path.join(dir, '002_bad.sql'), 'CREATE TABLE b (id int); SELECT no_such_function();');
    await expect(migrate(pool, dir)).rejects.toThrow(/002_bad failed/);
    const { rows } = await pool.query("SELECT to_regclass('b') AS b, (SELECT count(*) FROM schema_migrations)::int AS n");
    expect(rows[0]).toEqual({ b: null, n: 1 });
  });

  it('rejects files that do not follow NNN_name.sql', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    writeFileSync(path.join(dir, 'init.sql'), 'SELECT 1;');
    await expect(readMigrations(dir)).rejects.toThrow(/NNN_name.sql/);
  });
});
