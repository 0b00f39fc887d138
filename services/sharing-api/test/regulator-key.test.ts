import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';

/**
 * Regulators see aggregates only, through the statistics service: the sharing
 * API, which carries indicators, campaign texts and operators' sightings, is
 * closed to their keys, as `regulators create` makes them and even with every
 * operator scope added.
 */
describe('sharing API and regulator keys', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let webhooks: RunningWebhooks;
  const keys: Record<'stats' | 'everything', string> = { stats: '', everything: '' };

  beforeAll(async () => {
    db = await createTestDatabase();
    const make = async (scopes: ApiScope[]) => {
      const k = generateApiKey();
      await new ApiKeysRepository(db.pool).create({
        id: `key_${uniqueSuffix()}`,
        regulatorId: 'demo-regulator',
        name: 'regulator',
        prefix: k.prefix,
        hash: k.hash,
        scopes,
      });
      return k.key;
    };
    keys.stats = await make(['stats']);
    keys.everything = await make(['stats', 'read', 'publish', 'feedback', 'admin', 'report']);
    const config = testConfig({ DATABASE_URL: db.url });
    const logger = capturingLogger('sharing').logger;
    redis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    webhooks = startWebhooks({ config, logger, pool: db.pool, options: { allowPrivateTargets: true, pollMs: 200 } });
    server = await listen(createSharingApp({ config, logger, pool: db.pool, redis, webhooks }), 0, '127.0.0.1');
  });

  afterAll(async () => {
    await server.close(1000);
    await webhooks.close();
    redis.disconnect();
    await db.drop();
  });

  const attempts: Array<[string, (key: string) => request.Test]> = [
    ['GET /v1/indicators', (k) => request(server.url).get('/v1/indicators').set('authorization', `Bearer ${k}`)],
    ['GET /v1/campaigns', (k) => request(server.url).get('/v1/campaigns').set('authorization', `Bearer ${k}`)],
    [
      'POST /v1/indicators',
      (k) =>
        request(server.url)
          .post('/v1/indicators')
          .set('authorization', `Bearer ${k}`)
          .send({ type: 'domain', value: 'x.example', category: 'fraud', tlp: 'amber' }),
    ],
    [
      'POST /v1/sightings',
      (k) => request(server.url).post('/v1/sightings').set('authorization', `Bearer ${k}`).send({ indicator_id: 'c1', kind: 'blocked' }),
    ],
    ['GET /v1/webhooks', (k) => request(server.url).get('/v1/webhooks').set('authorization', `Bearer ${k}`)],
    ['GET /v1/stream', (k) => request(server.url).get('/v1/stream').set('authorization', `Bearer ${k}`).set('accept', 'text/event-stream')],
  ];
  const cases = attempts.flatMap(([name, send]) => (['stats', 'everything'] as const).map((which) => [name, which, send] as const));

  it.each(cases)('%s with a regulator key (%s) is 401 with a JSON error', async (_name, which, send) => {
    const res = await send(keys[which]);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization', requestId: expect.any(String) });
  });

  it('closes TAXII to regulator keys, by Bearer and by HTTP Basic', async () => {
    const accept = 'application/taxii+json;version=2.1';
    const bearer = await request(server.url).get('/taxii2/').set('accept', accept).set('authorization', `Bearer ${keys.everything}`);
    const basic = await request(server.url).get('/taxii2/api/collections/').set('accept', accept).auth('demo-regulator', keys.everything);
    expect([bearer.status, basic.status]).toEqual([401, 401]);
  });
});
