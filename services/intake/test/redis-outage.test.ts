import type { Config } from '@srs/config';
import { createRedis, type RedisClient } from '@srs/queue';
import type { RunningServer } from '@srs/http';
import {
  capturingLogger,
  createTestDatabase,
  freePort,
  startDisposableRedis,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type DisposableRedis,
  type TestDatabase,
} from '@srs/testkit';
import request from 'supertest';
import { startIntakeServer } from '../src/server';
import { recorded } from './inbox';

const MO = '/v1/gateways/kannel/mo';

describe('intake when Redis is down', () => {
  let redisServer: DisposableRedis;
  let db: TestDatabase;
  let redis: RedisClient;
  let config: Config;
  let server: RunningServer;

  beforeAll(async () => {
    redisServer = await startDisposableRedis(await freePort());
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await server.close(1000);
    redis.disconnect();
  });

  afterAll(async () => {
    await redisServer.stop();
    await db.drop();
  });

  async function startIntake() {
    config = testConfig({ REDIS_URL: redisServer.url });
    redis = createRedis(config.redis.url, 'producer');
    server = await startIntakeServer({ config, logger: capturingLogger().logger, pool: db.pool, redis }, 0);
  }

  /** A gateway delivering message `id`, again and again, as a gateway retries: the same subscriber each time. */
  const subscribers = new Map<string, string>();
  const deliver = (id: string) => {
    if (!subscribers.has(id)) subscribers.set(id, testMsisdn());
    return request(server.url)
      .get(MO)
      .query({ from: subscribers.get(id), to: '7726', text: 'You won a prize, claim at http://win.example', id });
  };

  async function waitForRedis() {
    for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
  }

  it('answers 503 at once while Redis is gone, and records the redelivery once Redis is back', async () => {
    await startIntake();
    await waitForRedis();
    const before = `kannel-${uniqueSuffix()}`;
    expect((await deliver(before)).status).toBe(202);

    await redisServer.kill();
    const during = `kannel-${uniqueSuffix()}`;
    const asked = Date.now();
    const refused = await deliver(during);
    expect(refused.status).toBe(503);
    // At once: not after waiting out a connection timeout.
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body.error).toMatchObject({ code: 'queue_unavailable', requestId: expect.any(String) });
    expect((await request(server.url).get('/readyz')).status).toBe(503);

    await redisServer.restart();
    await waitForRedis();
    expect((await deliver(during)).status).toBe(202);
    // The redelivery again, as a gateway that missed the answer sends it: recognised, not recorded twice.
    expect((await deliver(during)).body).toEqual({ status: 'duplicate' });
    const ids = (await recorded(redis, config)).map((e) => e.gatewayMessageId);
    // The message acknowledged before the crash survived it (AOF), and the retried one is recorded once.
    expect(ids.sort()).toEqual([before, during].sort());
  });

  it('answers 503 when it starts before Redis, and 202 once Redis arrives', async () => {
    await redisServer.kill();
    await startIntake();
    expect((await deliver(`kannel-${uniqueSuffix()}`)).status).toBe(503);
    await redisServer.restart();
    await waitForRedis();
    expect((await deliver(`kannel-${uniqueSuffix()}`)).status).toBe(202);
  });
});
