import { createRedis, ReportsQueue, type RedisClient } from '@srs/queue';
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

const MO = '/v1/gateways/kannel/mo';

describe('intake when Redis is down', () => {
  let redisServer: DisposableRedis;
  let db: TestDatabase;
  let redis: RedisClient;
  let queue: ReportsQueue;
  let server: RunningServer;

  beforeAll(async () => {
    redisServer = await startDisposableRedis(await freePort());
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await server.close(1000);
    await queue.close().catch(() => undefined);
    redis.disconnect();
  });

  afterAll(async () => {
    await redisServer.stop();
    await db.drop();
  });

  async function startIntake() {
    const config = testConfig({ REDIS_URL: redisServer.url });
    redis = createRedis(config.redis.url, 'producer');
    queue = new ReportsQueue({ connection: redis, prefix: config.redis.prefix }, config.intake.dedupTtlSeconds);
    server = await startIntakeServer({ config, logger: capturingLogger().logger, pool: db.pool, redis, reportsQueue: queue }, 0);
  }

  const deliver = (id: string) =>
    request(server.url).get(MO).query({ from: testMsisdn(), to: '7726', text: 'You won a prize, claim at http://win.example', id });

  async function waitForRedis() {
    for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
  }

  it('answers 503 at once while Redis is gone, and queues the redelivery once Redis is back', async () => {
    await startIntake();
    await waitForRedis();
    const before = `kannel-${uniqueSuffix()}`;
    expect((await deliver(before)).status).toBe(202);

    await redisServer.kill();
    const during = `kannel-${uniqueSuffix()}`;
    const refused = await deliver(during);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body.error).toMatchObject({ code: 'queue_unavailable', requestId: expect.any(String) });
    expect((await request(server.url).get('/readyz')).status).toBe(503);

    await redisServer.restart();
    await waitForRedis();
    expect((await deliver(during)).status).toBe(202);
    const ids = (await queue.queue.getJobs(['waiting']))
      .filter((j) => j.name === 'conversation-step')
      .map((j) => (j.data as { gatewayMessageId: string }).gatewayMessageId);
    // The job acknowledged before the crash survived it (AOF), and the retried one is queued once.
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
