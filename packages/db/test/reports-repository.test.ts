import { createTestDatabase, testReport, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { ReportsRepository, type NewReport } from '../src';

describe('reports repository: many reports in one statement', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    reports = new ReportsRepository(db.pool);
  });
  afterAll(() => db.drop());

  const report = (id: string, reference = `R${uniqueSuffix().slice(-7).toUpperCase()}`): NewReport =>
    testReport({ gatewayMessageId: id, reference });

  it('stores each message once, whether new, already stored, or twice in the batch', async () => {
    const old = report(`m-${uniqueSuffix()}`);
    const first = await reports.insertOnce(old);
    const fresh = report(`m-${uniqueSuffix()}`);
    const results = await reports.insertManyOnce([fresh, report(old.gatewayMessageId), report(fresh.gatewayMessageId)]);
    expect(results.map((r) => r.created)).toEqual([true, false, false]);
    expect(results[1]!.row.reference).toBe(first.row.reference);
    expect(results[2]!.row.reference).toBe(results[0]!.row.reference);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = ANY($1)', [
      [old.gatewayMessageId, fresh.gatewayMessageId],
    ]);
    expect(rows[0].n).toBe(2);
    expect(results[0]!.row).toMatchObject({ senderValue: 'SHOP', completion: 'one_message', awaitingSender: false });
  });
});
