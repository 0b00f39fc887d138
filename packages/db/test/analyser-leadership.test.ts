import { createTestDatabase, eventually, type TestDatabase } from '@srs/testkit';
import { AnalysisRepository } from '../src';

describe("analyser's leadership", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const advisoryLocksHere = async () =>
    (
      await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      )
    ).rows[0]!.n;

  it('is held by one analyser at a time, and taken over once given up', async () => {
    const first = new AnalysisRepository(db.pool);
    const second = new AnalysisRepository(db.pool);
    const leader = await first.tryLeadership();
    expect(leader).toBeDefined();
    expect(await second.tryLeadership()).toBeUndefined();
    expect(await first.tryLeadership()).toBeUndefined();

    leader!.release();
    leader!.release();
    // Given up by ending its session, which the server notices a moment later.
    const next = await eventually(
      () => second.tryLeadership(),
      (l) => l !== undefined,
    );
    expect(next).toBeDefined();
    next!.release();
    expect(await eventually(advisoryLocksHere, (n) => n === 0)).toBe(0);
  });
});
