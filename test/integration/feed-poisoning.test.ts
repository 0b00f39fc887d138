import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  deleteRedisPrefix,
  eventually,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type TestDatabase,
} from '@srs/testkit';
import request from 'supertest';
import { startIntakeServer } from '../../services/intake/src/server';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { startWorkers, type RunningWorkers } from '../../services/worker/src/workers';

/**
 * The attack of issue 24, point 4: whoever holds a way in invents reporters to
 * push a bank's domain into the shared feed. Through an unauthenticated Kannel
 * endpoint (refused: see test/e2e/intake-production.e2e.test.ts and the token
 * `npm start` generates) or, as here, with an operator's app API key, which
 * may name any reporter number it likes. Only a key whose operator vouches for
 * the numbers (scope `attest`) counts each number as a subscriber of its own.
 */
describe('an app key cannot invent the reporters that share an indicator', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let intake: RunningServer;
  let sharing: RunningServer;
  let workers: RunningWorkers;
  let config: ReturnType<typeof testConfig>;
  let readerKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig({ DATABASE_URL: db.url, INDICATOR_MIN_REPORTERS: '2', WORKER_CONCURRENCY: '4' });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    intake = await startIntakeServer({ config, logger: capturingLogger('intake').logger, pool: db.pool, redis }, 0);
    workers = startWorkers({ config, logger: capturingLogger('worker').logger, pool: db.pool, workerRedis, producerRedis: redis });
    sharing = await listen(createSharingApp({ config, logger: capturingLogger('sharing').logger, pool: db.pool, redis }), 0, '127.0.0.1');
    readerKey = await key('demo-fr', ['read']);
  });

  afterAll(async () => {
    await workers.close();
    await intake.close(1000);
    await sharing.close(1000);
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    workerRedis.disconnect();
    await db.drop();
  });

  async function key(operatorId: string, scopes: ApiScope[]): Promise<string> {
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_${uniqueSuffix()}`,
      operatorId,
      name: 'app',
      prefix: k.prefix,
      hash: k.hash,
      scopes,
    });
    return k.key;
  }

  /** Three reports of one lure, each "from" a number the attacker made up; resolves once all three are analysed. */
  async function reportWithInventedNumbers(appKey: string, domain: string, sender: string): Promise<void> {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = `poison-${uniqueSuffix()}`;
      const res = await request(intake.url)
        .post('/v1/reports')
        .set('authorization', `Bearer ${appKey}`)
        .send({
          reporter: testMsisdn(),
          sender,
          id,
          text: `Your card has been suspended. Verify your identity now at https://${domain}/login to avoid closure`,
        });
      expect(res.status).toBe(202);
      ids.push(id);
    }
    await eventually(
      async () =>
        (
          await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = ANY($1) AND analysed_at IS NOT NULL', [
            ids,
          ])
        ).rows[0].n,
      (n) => n === 3,
      30_000,
    );
  }

  async function shared(): Promise<string[]> {
    const res = await request(sharing.url).get('/v1/indicators?limit=1000').set('authorization', `Bearer ${readerKey}`);
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ value: string }>).map((i) => i.value);
  }
  const lure = () => ({
    domain: `secure-${uniqueSuffix()
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()}-bank.top`,
    sender: `+${testMsisdn().replace(/^\+/, '')}`,
  });

  it('counts every number a key without `attest` claims as one reporter, so three invented reporters share nothing', async () => {
    const { domain, sender } = lure();
    await reportWithInventedNumbers(await key('demo-uk', ['report']), domain, sender);
    // Give the analyser a few more passes: nothing may appear late either.
    await new Promise((r) => setTimeout(r, 1500));
    const values = await shared();
    expect(values).not.toContain(domain);
    expect(values).not.toContain(sender);
  });

  it('takes the numbers of a key whose operator attests them as distinct subscribers', async () => {
    const { domain, sender } = lure();
    await reportWithInventedNumbers(await key('demo-uk', ['report', 'attest']), domain, sender);
    expect(await eventually(shared, (v) => v.includes(domain) && v.includes(sender), 20_000, 250)).toEqual(
      expect.arrayContaining([domain, sender]),
    );
  });
});
