import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import type { Config } from '@srs/config';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { listenForChanges } from '../src/stream/change-notices';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';
import { TAXII } from './taxii-harness';

export { TAXII };

/**
 * The whole sharing API as main.ts starts it (webhooks and stream included),
 * on a database of its own and a Redis prefix of its own: what an attacker
 * with an operator key reaches over HTTP.
 */
export interface SharingService {
  db: TestDatabase;
  server: RunningServer;
  config: Config;
  /** a new key of the operator with the scopes */
  key(operatorId: string, scopes: ApiScope[]): Promise<string>;
  get(path: string, key: string): request.Test;
  post(path: string, body: unknown, key: string): request.Test;
  taxiiPost(path: string, body: unknown, key: string): request.Test;
  taxiiGet(path: string, key: string): request.Test;
  close(): Promise<void>;
}

export async function startSharingService(overrides: Record<string, string> = {}): Promise<SharingService> {
  const db = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.url, ...overrides });
  const logger = capturingLogger('sharing').logger;
  const redis: RedisClient = createRedis(config.redis.url, 'producer');
  await eventually(
    () => redis.status,
    (s) => s === 'ready',
  );
  const listening = listenForChanges({ databaseUrl: db.url, logger });
  const webhooks: RunningWebhooks = startWebhooks({
    config,
    logger,
    pool: db.pool,
    changes: listening.changes,
    options: { allowPrivateTargets: true, pollMs: 200 },
  });
  const shutdown = new AbortController();
  const server = await listen(
    createSharingApp({ config, logger, pool: db.pool, redis, webhooks, shutdown: shutdown.signal }),
    0,
    '127.0.0.1',
  );
  const keys = new ApiKeysRepository(db.pool);
  return {
    db,
    server,
    config,
    key: async (operatorId, scopes) => {
      const k = generateApiKey();
      await keys.create({ id: `key_${uniqueSuffix()}`, operatorId, name: 'test', prefix: k.prefix, hash: k.hash, scopes });
      return k.key;
    },
    get: (path, key) => request(server.url).get(path).set('authorization', `Bearer ${key}`),
    post: (path, body, key) =>
      request(server.url)
        .post(path)
        .set('authorization', `Bearer ${key}`)
        .send(body as object),
    taxiiGet: (path, key) => request(server.url).get(path).set('Accept', TAXII).auth('taxii-client', key),
    taxiiPost: (path, body, key) =>
      request(server.url).post(path).set('Accept', TAXII).set('Content-Type', TAXII).auth('taxii-client', key).send(JSON.stringify(body)),
    close: async () => {
      shutdown.abort();
      await server.close(1000);
      await webhooks.close();
      await listening.close();
      redis.disconnect();
      await db.drop();
    },
  };
}

export interface WebhookReceiver {
  url: string;
  /** every delivery so far: its `webhook-id` and the change it carried */
  received: Array<{ webhookId: string; data: Record<string, unknown> }>;
  close(): void;
}

/** An operator's webhook endpoint on loopback that keeps what it is sent and answers 204. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ webhookId: String(req.headers['webhook-id']), data: (JSON.parse(body) as { data: Record<string, unknown> }).data });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => server.close() };
}
