import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, ParticipantsRepository, type Pool } from '@srs/db';
import { createMetricsRegistry, listen, type RunningServer } from '@srs/http';
import {
  capturingLogger,
  createTestDatabase,
  eventually,
  parseMetrics,
  sumSamples,
  testConfig,
  uniqueSuffix,
  type TestDatabase,
} from '@srs/testkit';
import { createRedis, type RedisClient } from '@srs/queue';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';

/** How long the slow receiver holds each request before it answers 200: slow, but inside the attempt timeout. */
const SLOW_MS = 2000;
/** Changes queued for the slow receiver before the healthy one's change is made. */
const BACKLOG = 400;

/** A receiver on loopback that answers every POST after `delayMs`, counting what it got and what it holds at once. */
async function startReceiver(delayMs: number) {
  const received: Array<{ at: number; body: string }> = [];
  const held = new Set<NodeJS.Timeout>();
  let open = 0;
  let mostOpen = 0;
  const server: Server = createServer((req, res) => {
    open++;
    mostOpen = Math.max(mostOpen, open);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const timer = setTimeout(() => {
        held.delete(timer);
        received.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') });
        open--;
        res.writeHead(200).end();
      }, delayMs);
      held.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    mostOpen: () => mostOpen,
    close: () => {
      for (const timer of held) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `count` new indicators of one category in one transaction: as many changes in the feed. */
function writeIndicators(pool: Pool, prefix: string, category: string, count: number) {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
       SELECT 'domain', $1 || i || '.top', $2, 0.9, now(), now(), 0.9, true, true, 3 FROM generate_series(1, $3::int) AS i`,
      [prefix, category, count],
    ),
  );
}

describe('webhook fairness between operators', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let webhooks: RunningWebhooks;
  let server: RunningServer;
  const receivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];
  const { logger, lines } = capturingLogger('webhook-fairness');
  const config = testConfig();

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createRedis(config.redis, 'producer');
    const metrics = createMetricsRegistry('sharing-api');
    // The deployment's defaults (concurrency, attempts, budgets), with loopback receivers allowed and a short warning threshold.
    webhooks = startWebhooks({
      config,
      logger,
      pool: db.pool,
      metrics,
      options: { allowPrivateTargets: true, timeoutMs: 5000, pollMs: 200, backlogWarnAfterMs: 3000, requeueAfterMs: 1000 },
    });
    server = await listen(createSharingApp({ config, logger, pool: db.pool, redis, webhooks, metrics }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await webhooks.close();
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  /** An operator of its own for each test, with an admin key: what one tenant does cannot touch another test's budget. */
  async function operator(): Promise<{ id: string; key: string }> {
    const id = `op-${uniqueSuffix()}`;
    await new ParticipantsRepository(db.pool).upsertOperator({ id, name: id, country: 'GB' });
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_${id}`,
      operatorId: id,
      name: id,
      prefix: k.prefix,
      hash: k.hash,
      scopes: ['read', 'admin'],
    });
    return { id, key: k.key };
  }

  async function receiver(delayMs: number) {
    const started = await startReceiver(delayMs);
    receivers.push(started);
    return started;
  }

  async function subscribe(who: { key: string }, url: string, category: string): Promise<string> {
    const res = await request(server.url)
      .post('/v1/webhooks')
      .set('authorization', `Bearer ${who.key}`)
      .send({ url, filter: { categories: [category] } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const recorded = async (subscriptionId: string) =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1', [subscriptionId]))
      .rows[0]!.n;

  /** Operator B's one change, to a receiver that answers at once: how long until it arrives. */
  async function healthyDeliveryLatency(): Promise<{ latencyMs: number; body: string | undefined }> {
    const healthy = await receiver(0);
    const category = `healthy-${uniqueSuffix()}`;
    await subscribe(await operator(), healthy.url, category);
    const value = `urgent-${uniqueSuffix()}-`;
    const changedAt = Date.now();
    await writeIndicators(db.pool, value, category, 1);
    const got = await eventually(
      () => healthy.received,
      (r) => r.length >= 1,
      20_000,
    );
    return { latencyMs: (got[0]?.at ?? Date.now()) - changedAt, body: got[0]?.body };
  }

  it('delivers another operator’s change within seconds while one operator’s slow receiver has a large backlog, and says which one is behind', async () => {
    const a = await operator();
    const slow = await receiver(SLOW_MS);
    const slowCategory = `slow-${uniqueSuffix()}`;
    const slowId = await subscribe(a, slow.url, slowCategory);

    // Operator A's receiver takes 2 s an answer; 400 changes are waiting for it.
    await writeIndicators(db.pool, `backlog-${uniqueSuffix()}-`, slowCategory, BACKLOG);
    expect(
      await eventually(
        () => recorded(slowId),
        (n) => n === BACKLOG,
      ),
    ).toBe(BACKLOG);
    await eventually(
      () => slow.mostOpen(),
      (n) => n > 0,
    );

    const { latencyMs, body } = await healthyDeliveryLatency();
    const slowDelivered = slow.received.length;
    expect({ latencyMs: latencyMs < 5000 ? 'under 5 s' : latencyMs, slowDelivered: slowDelivered < BACKLOG / 4 }).toEqual({
      latencyMs: 'under 5 s',
      slowDelivered: true,
    });
    expect(JSON.parse(body!)).toMatchObject({ type: 'indicator.changed', data: { value: expect.stringMatching(/^urgent-/) } });

    // A's receiver never held more than A's budget, so the workers left were free for B.
    expect(slow.mostOpen()).toBeLessThanOrEqual(webhooks.options.subscriptionInFlight);

    // The gauges say which subscription is behind, and by how much; B's is not.
    const scrape = async () => (await request(server.url).get('/metrics')).text;
    const metrics = await eventually(
      scrape,
      (text) => sumSamples(text, 'srs_webhook_oldest_undelivered_seconds', { subscription: slowId }) >= 3,
    );
    expect(sumSamples(metrics, 'srs_webhook_backlog', { subscription: slowId, operator: a.id })).toBeGreaterThan(BACKLOG / 2);
    expect(sumSamples(metrics, 'srs_webhook_oldest_undelivered_seconds', { subscription: slowId })).toBeGreaterThanOrEqual(3);
    const healthyRows = parseMetrics(metrics).filter((m) => m.name === 'srs_webhook_backlog' && m.labels.subscription !== slowId);
    expect(healthyRows.length).toBeGreaterThan(0);
    expect(healthyRows.map((m) => m.value)).toEqual(healthyRows.map(() => 0));

    // And the log warns, naming the subscription and its operator.
    const warnings = () =>
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'webhook subscription falling behind');
    const [warning] = await eventually(warnings, (w) => w.length >= 1, 5000);
    expect(warning).toMatchObject({
      level: 40,
      subscriptionId: slowId,
      operatorId: a.id,
      backlog: expect.any(Number),
      oldestUndeliveredSeconds: expect.any(Number),
    });
    expect(warnings().filter((w) => w.subscriptionId !== slowId)).toEqual([]);
  });

  it('holds an operator’s many slow subscriptions together to its one budget, so others are still served within seconds', async () => {
    const a = await operator();
    const slow = await receiver(SLOW_MS);
    const category = `many-${uniqueSuffix()}`;
    // As many subscriptions as an operator may have, at two places each: forty, five times the eight workers.
    const ids = [];
    for (let i = 0; i < webhooks.options.maxSubscriptionsPerOperator; i++) ids.push(await subscribe(a, `${slow.url}/${i}`, category));
    await writeIndicators(db.pool, `many-${uniqueSuffix()}-`, category, 20);
    for (const id of ids)
      expect(
        await eventually(
          () => recorded(id),
          (n) => n === 20,
        ),
      ).toBe(20);
    await eventually(
      () => slow.mostOpen(),
      (n) => n > 0,
    );

    const { latencyMs } = await healthyDeliveryLatency();
    expect(latencyMs < 5000 ? 'under 5 s' : latencyMs).toBe('under 5 s');
    expect(slow.mostOpen()).toBeLessThanOrEqual(webhooks.options.operatorInFlight);
    expect(slow.received.length).toBeLessThan(ids.length * 20);
  });
});
