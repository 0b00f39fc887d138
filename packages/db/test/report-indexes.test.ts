import { createTestDatabase, type TestDatabase } from '@srs/testkit';

/**
 * Every report pays for each index of `reports` three times (stored, analysed,
 * counted: none of the updates is HOT), so the table carries only the indexes
 * a query reads, each named in docs/DATABASE.md ("Queries and their indexes").
 * An index added here belongs in that table too.
 */
const INDEXES = [
  'reports_awaiting_sender_idx',
  'reports_gateway_message_unique',
  'reports_pkey',
  'reports_received_at_idx',
  'reports_reference_idx',
  'reports_sender_unindexed_idx',
  'reports_stats_moved_idx',
  'reports_unanalysed_idx',
  'reports_uncounted_idx',
];

describe('the indexes of reports', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('are exactly those the queries read, with the two no query read dropped (migration 011)', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'reports' ORDER BY 1",
    );
    expect(rows.map((r) => r.name)).toEqual(INDEXES);
  });

  it('are the same on every month, including one made after the migrations', async () => {
    await db.pool.query("SELECT ensure_month_partition('reports', date_trunc('month', now() + interval '6 months', 'UTC'))");
    const { rows } = await db.pool.query<{ partition: string; indexes: number }>(
      `SELECT c.relname AS partition, count(i.indexrelid)::int AS indexes
         FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
         LEFT JOIN pg_index i ON i.indrelid = c.oid
        WHERE h.inhparent = 'reports'::regclass
        GROUP BY 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) expect(row).toEqual({ partition: row.partition, indexes: INDEXES.length });
  });
});
