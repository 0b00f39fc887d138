import { ExpiryRepository, inFeedTransaction, SharingRepository } from '@srs/db';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { ExpirySweep } from '../src/maintenance/expiry-sweep';

describe('expiry sweep: what time alone changes in the feed', () => {
  let db: TestDatabase;
  let sweep: ExpirySweep;
  const config = testConfig({ INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.5', INDICATOR_HALF_LIFE_DAYS: '30' });

  beforeAll(async () => {
    db = await createTestDatabase();
    sweep = new ExpirySweep({
      repository: new ExpiryRepository(db.pool),
      config,
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
    });
  });
  afterAll(() => db.drop());

  async function sharedIndicator(value: string, lastSeenDaysAgo: number) {
    await inFeedTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
         VALUES ('domain', $1, 'smishing', 0.9, now() - make_interval(days => $2), now() - make_interval(days => $2), 0.8, true, true, 6, 2)`,
        [value, lastSeenDaysAgo],
      );
    });
  }
  const indicator = (value: string) =>
    db.pool.query('SELECT publishable, ever_published, score, seq::text FROM indicators WHERE value = $1', [value]).then((r) => r.rows[0]);

  it('expires published indicators past their validity and withdraws decayed ones, each as a new change', async () => {
    const sharing = new SharingRepository(db.pool);
    const past = await sharing.publish({
      operatorId: 'demo-uk',
      clientId: `c-${uniqueSuffix()}`,
      type: 'domain',
      value: `old-${uniqueSuffix()}.top`,
      category: 'smishing',
      tlp: 'green',
      confidence: 0.9,
      description: null,
      validUntil: new Date(Date.now() - 60_000),
    });
    const future = await sharing.publish({
      operatorId: 'demo-uk',
      clientId: `c-${uniqueSuffix()}`,
      type: 'domain',
      value: `new-${uniqueSuffix()}.top`,
      category: 'smishing',
      tlp: 'green',
      confidence: 0.9,
      description: null,
      validUntil: new Date(Date.now() + 86_400_000),
    });
    const stale = `stale-${uniqueSuffix()}.top`;
    const fresh = `fresh-${uniqueSuffix()}.top`;
    await sharedIndicator(stale, 120);
    await sharedIndicator(fresh, 2);
    const staleBefore = await indicator(stale);

    expect(await sweep.runOnce()).toEqual({ expired: 1, withdrawn: 1 });
    expect(await sharing.findPublished('demo-uk', past.row.clientId)).toMatchObject({ status: 'expired' });
    expect(BigInt((await sharing.findPublished('demo-uk', past.row.clientId))!.seq)).toBeGreaterThan(BigInt(past.row.seq));
    expect(await sharing.findPublished('demo-uk', future.row.clientId)).toMatchObject({ status: 'active', seq: future.row.seq });
    const staleAfter = await indicator(stale);
    expect(staleAfter).toMatchObject({ publishable: false, ever_published: true });
    expect(BigInt(staleAfter.seq)).toBeGreaterThan(BigInt(staleBefore.seq));
    expect(await indicator(fresh)).toMatchObject({ publishable: true });

    expect(await sweep.runOnce()).toEqual({ expired: 0, withdrawn: 0 });
  });
});
