import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createPool,
  dropDatabase,
  ensureDatabase,
  migrate,
  MIGRATIONS_DIR,
  ReportsRepository,
  seedDemoConsortium,
  type Pool,
} from '@srs/db';
import { baseDatabaseUrl, uniqueSuffix } from '@srs/testkit';

/** Migration 009 on a database that already holds reports and audit entries: every row, column and id kept. */
describe('migration 009 on a populated database', () => {
  let url: string;
  let pool: Pool;
  beforeAll(async () => {
    const u = new URL(baseDatabaseUrl());
    u.pathname = `/srs_test_${uniqueSuffix()}`;
    url = u.toString();
    await ensureDatabase(url);
    pool = createPool({ url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await dropDatabase(url);
  });

  const columnsOf = async (table: string) =>
    (
      await pool.query(
        `SELECT column_name, data_type, is_nullable, column_default, is_identity, identity_generation
           FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`,
        [table],
      )
    ).rows;
  const checksOf = async (table: string) =>
    (
      await pool.query<{ def: string }>(
        `SELECT conname || ' ' || pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE conrelid = $1::regclass AND contype IN ('c', 'f') ORDER BY conname`,
        [table],
      )
    ).rows.map((r) => r.def);
  // Every column of every row, in id order: equal before and after means nothing was lost or changed.
  const fingerprint = async (table: string) =>
    (
      await pool.query<{ n: number; md5: string }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS md5 FROM ${table} t`,
      )
    ).rows[0];

  it('keeps every row, column, constraint and id, and goes on numbering after the last id', async () => {
    const before008 = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < '009'))
      cpSync(path.join(MIGRATIONS_DIR, file), path.join(before008, file));
    expect(await migrate(pool, before008)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await seedDemoConsortium(pool);

    // 3,000 reports over 30 months back from now, some analysed and counted, and audit entries.
    await pool.query(
      `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at,
                            stored_at, sender_kind, sender_value, sender_display, completion, completed_at, analysed_at, spam, category,
                            confidence, link_kind, link_domains, stats_at)
       SELECT 'M' || lpad(g::text, 7, '0'), CASE WHEN g % 2 = 0 THEN 'demo-uk' ELSE 'demo-fr' END, 'kannel', 'mig-' || g, 'p' || (g % 50), '7726',
              'text ' || g, now() - g * interval '7 hours', now() - g * interval '7 hours', 'alphanumeric', 'SHOP', 'SHOP', 'one_message',
              now() - g * interval '7 hours', CASE WHEN g % 3 > 0 THEN now() END, g % 3 > 0, CASE WHEN g % 3 > 0 THEN 'smishing' END,
              0.9, 'link', ARRAY['parcel-fee.top'], CASE WHEN g % 3 = 1 THEN now() END
         FROM generate_series(1, 3000) g`,
    );
    await pool.query(`DELETE FROM reports WHERE id > 2990`); // the identity must not hand out these ids again
    await pool.query(
      `INSERT INTO audit_log (at, key_id, operator_id, method, path, status, request_id)
       SELECT now() - g * interval '1 day', 'k', 'demo-uk', 'GET', '/v1/indicators', 200, 'r' || g FROM generate_series(1, 500) g`,
    );
    const reportsBefore = await fingerprint('reports');
    const auditBefore = await fingerprint('audit_log');
    const columnsBefore = { reports: await columnsOf('reports'), audit: await columnsOf('audit_log') };
    const checksBefore = await checksOf('reports');

    // Migration 009 alone: later ones add columns of their own.
    const through009 = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < '010'))
      cpSync(path.join(MIGRATIONS_DIR, file), path.join(through009, file));
    expect(await migrate(pool, through009)).toEqual([9]);

    expect(reportsBefore!.n).toBe(2990);
    expect(await fingerprint('reports')).toEqual(reportsBefore);
    expect(await fingerprint('audit_log')).toEqual(auditBefore);
    expect(await columnsOf('reports')).toEqual(columnsBefore.reports);
    expect(await columnsOf('audit_log')).toEqual(columnsBefore.audit);
    expect(await checksOf('reports')).toEqual(checksBefore);

    // Every report is in the partition of its month; the months with data were all made.
    const misplaced = await pool.query(
      `SELECT 1 FROM reports WHERE tableoid::regclass::text <> 'reports_p' || to_char(received_at AT TIME ZONE 'UTC', 'YYYYMM')`,
    );
    expect(misplaced.rowCount).toBe(0);
    const { rows: kinds } = await pool.query(`SELECT relkind FROM pg_class WHERE relname IN ('reports', 'audit_log') ORDER BY relname`);
    expect(kinds.map((k) => k.relkind)).toEqual(['p', 'p']);

    // New reports get ids after every id ever handed out, keys of recent reports stay unique.
    expect((await migrate(pool))[0]).toBe(10);
    const repo = new ReportsRepository(pool);
    const newReport = (operatorId: string, gatewayMessageId: string, reference: string) => ({
      reference,
      operatorId,
      gateway: 'kannel',
      gatewayMessageId,
      reporterPseudonym: 'p',
      shortCode: '7726',
      body: 'text',
      coding: 'gsm7' as const,
      smsc: null,
      channel: 'kannel',
      language: 'en',
      receivedAt: new Date(),
    });
    const fresh = await repo.insertOnce(newReport('demo-uk', 'after-009', 'NEWREF01'));
    expect(Number(fresh.row.id)).toBeGreaterThan(3000);
    // A message stored before the migration, delivered again with a new received_at.
    const redelivered = await repo.insertOnce(newReport('demo-fr', 'mig-1', 'NEWREF02'));
    expect(redelivered.created).toBe(false);
    expect(redelivered.row.reference).toBe('M0000001');
    const audit = await pool.query<{ id: string }>(
      `INSERT INTO audit_log (key_id, method, path, status) VALUES ('k', 'GET', '/x', 200) RETURNING id::text`,
    );
    expect(Number(audit.rows[0]!.id)).toBeGreaterThan(500);
  });
});
