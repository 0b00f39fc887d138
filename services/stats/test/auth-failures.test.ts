import { request as httpRequest } from 'node:http';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { createStatsApp } from '../src/app';
import { seedStatistics } from './seed-statistics';

/** A GET from the given local address (127.0.0.0/8 is all loopback on Linux): another client, as the server sees it. */
function getFrom(localAddress: string, url: string, key: string) {
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('failed authentications against the statistics, per client address', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let one: RunningServer;
  let two: RunningServer;
  let regulatorKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ regulatorKey } = await seedStatistics(db.pool, { reports: 50, days: 2 }));
    // Two instances sharing one Redis prefix, as two replicas behind a balancer.
    const config = testConfig({ DATABASE_URL: db.url, AUTH_FAILURES_PER_MINUTE: '20', REDIS_PREFIX: `srs-stats-auth-${uniqueSuffix()}` });
    redis = createRedis(config.redis.url, 'producer');
    // Connected before the first guess: until it is, the limit serves without counting (as when Redis is down).
    if (redis.status !== 'ready') await new Promise((ready) => redis.once('ready', ready));
    const { logger } = capturingLogger('stats');
    one = await listen(createStatsApp({ config, logger, pool: db.pool, redis }), 0, '127.0.0.1');
    two = await listen(createStatsApp({ config, logger, pool: db.pool, redis }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await one?.close(1000);
    await two?.close(1000);
    redis.disconnect();
    await db.drop();
  });

  it('answers 429 to an address guessing keys across instances once it passed the limit, and serves a valid key from elsewhere', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof getFrom>> | undefined;
    for (let i = 0; i < 25; i++) {
      const guess = `srs_${'x'.repeat(8)}_${i.toString().padStart(40, '0')}`;
      last = await getFrom('127.0.0.6', `${(i % 2 === 0 ? one : two).url}/v1/stats/reports`, guess);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect(last!.retryAfter).toMatch(/^\d+$/);
    expect((await getFrom('127.0.0.6', `${one.url}/v1/stats/reports`, regulatorKey)).status).toBe(429);
    expect((await getFrom('127.0.0.7', `${two.url}/v1/stats/reports`, regulatorKey)).status).toBe(200);
  });
});
