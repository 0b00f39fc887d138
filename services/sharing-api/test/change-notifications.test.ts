import { createServer, get as httpGet, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, createPool, inFeedTransaction, type Pool } from '@srs/db';
import { createMetricsRegistry, errorHandler, listen, notFoundHandler, requestId, requireApiKey, type RunningServer } from '@srs/http';
import { capturingLogger, createTestDatabase, sumSamples, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import express from 'express';
import request from 'supertest';
import { listenForChanges, type ChangeListener } from '../src/stream/change-notices';
import { streamRoutes } from '../src/stream/stream-routes';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';
import { webhookRoutes } from '../src/webhooks/webhook-routes';

/** An hour: within the test's timeout, only a notification wakes a stream or the dispatcher. */
const NEVER = 3600_000;

/** Until `done` holds: no clock, the test's own timeout is the bound. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 10));
}

/** A Server-Sent Events client that keeps the `data` of every event. */
function openStream(base: string, path: string, key: string) {
  const data: string[] = [];
  let req: ClientRequest;
  const opened = new Promise<number>((resolve, reject) => {
    req = httpGet(`${base}${path}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` } }, (res) => {
      res.setEncoding('utf8');
      resolve(res.statusCode ?? 0);
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const line = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (line) data.push(line.slice(6));
        }
      });
    });
    req.on('error', reject);
  });
  return { data, opened, close: () => req.destroy() };
}

/** Writes an indicator as the analyser would, on a connection of its own: another process's commit. */
function writeIndicator(pool: Pool, value: string, category: string) {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
       VALUES ('domain', $1, $2, 0.9, now(), now(), 0.9, true, true, 3)`,
      [value, category],
    ),
  );
}

describe('streams and webhooks wake on committed changes (LISTEN srs_changes), polling only as a fallback', () => {
  let db: TestDatabase;
  /** the "other process" that commits changes: connections of its own */
  let writer: Pool;
  let listening: ChangeListener;
  let webhooks: RunningWebhooks;
  let server: RunningServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];
  const metrics = createMetricsRegistry('sharing-api');
  const shutdown = new AbortController();
  let key: string;
  const config = testConfig();

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = createPool({ url: db.url, max: 2, applicationName: 'srs-test-writer' });
    const keys = new ApiKeysRepository(db.pool);
    const k = generateApiKey();
    await keys.create({
      id: `key_${uniqueSuffix()}`,
      operatorId: 'demo-uk',
      name: 'test',
      prefix: k.prefix,
      hash: k.hash,
      scopes: ['read', 'admin'],
    });
    key = k.key;
    const { logger } = capturingLogger('sharing');
    listening = listenForChanges({ databaseUrl: db.url, logger, metrics });
    webhooks = startWebhooks({
      config,
      logger,
      pool: db.pool,
      changes: listening.changes,
      options: { allowPrivateTargets: true, pollMs: NEVER, requeueAfterMs: NEVER },
    });
    const lookup = async (prefix: string) => {
      const found = await keys.findActiveByPrefix(prefix);
      return found?.operatorId ? found : undefined;
    };
    const app = express();
    app.use(requestId());
    app.use(webhookRoutes({ webhooks, auth: { read: requireApiKey(lookup, 'read'), admin: requireApiKey(lookup, 'admin') } }));
    app.use(
      streamRoutes({
        reader: webhooks.reader,
        changes: webhooks.changes,
        ids: webhooks.ids,
        auth: requireApiKey(lookup, 'read'),
        logger,
        options: { pollMs: NEVER, heartbeatMs: NEVER },
        signal: shutdown.signal,
      }),
    );
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    server = await listen(app, 0, '127.0.0.1');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await listening.listener.ready();
  });
  afterAll(async () => {
    shutdown.abort();
    await server.close(1000);
    await webhooks.close();
    await listening.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await writer.end();
    await db.drop();
  });

  async function subscribe(category: string): Promise<void> {
    const res = await request(server.url)
      .post('/v1/webhooks')
      .set('authorization', `Bearer ${key}`)
      .send({ url: receiverUrl, filter: { categories: [category] } });
    expect(res.status).toBe(201);
  }
  const listeningGauge = async () => sumSamples(await metrics.metrics(), 'srs_change_notifications_listening');

  /**
   * Streams open and waiting (not reading), beside the dispatcher's wait: then
   * only a notification can bring them the next change.
   */
  async function openWaitingStreams(category: string, count: number) {
    await until(() => listening.changes.waiting === 1);
    const streams = [];
    for (let i = 1; i <= count; i++) {
      const s = openStream(server.url, `/v1/stream?from=now&category=${category}`, key);
      expect(await s.opened).toBe(200);
      await until(() => listening.changes.waiting === 1 + i);
      streams.push(s);
    }
    return streams;
  }

  it('brings a change committed by another connection to an open stream and to a webhook, with both polls an hour apart', async () => {
    const category = `cat-${uniqueSuffix()}`;
    await subscribe(category);
    const streams = await openWaitingStreams(category, 3);
    const value = `notified-${uniqueSuffix()}.example`;
    await writeIndicator(writer, value, category);
    await until(() => streams.every((s) => s.data.some((d) => d.includes(value))));
    await until(() => received.some((body) => body.includes(value)));
    for (const s of streams) s.close();

    // Every open stream and the dispatcher share the process's one listening connection.
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'srs-sharing-api-listener'`,
    );
    expect(rows[0].n).toBe(1);
    expect(await listeningGauge()).toBe(1);
  });

  it('listens again when its connection is killed, and the next change still reaches the stream and the webhook', async () => {
    const category = `cat-${uniqueSuffix()}`;
    await subscribe(category);
    const [stream] = await openWaitingStreams(category, 1);
    const pid = await listening.listener.backendPid();
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await until(async () => {
      const now = listening.listener.isListening ? await listening.listener.backendPid().catch(() => undefined) : undefined;
      return now !== undefined && now !== pid;
    });
    expect(await listeningGauge()).toBe(1);
    // Listening again woke every waiter once (anything sent meanwhile was lost): the stream and the dispatcher looked, and wait again.
    await until(() => listening.changes.waiting === 2);

    const value = `after-kill-${uniqueSuffix()}.example`;
    await writeIndicator(writer, value, category);
    await until(() => stream!.data.some((d) => d.includes(value)));
    await until(() => received.some((body) => body.includes(value)));
    stream!.close();
  });
});
