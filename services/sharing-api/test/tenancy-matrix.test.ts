import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';

type Caller = 'anonymous' | 'read' | 'publish' | 'feedback' | 'admin' | 'revoked' | 'regulator';

interface Endpoint {
  name: string;
  send: (req: (method: 'get' | 'post' | 'delete', path: string) => request.Test) => request.Test;
  /** the one scope that opens it */
  scope: ApiScope;
  /** the status that scope gets with the valid request sent here */
  ok: number;
}

/**
 * Every endpoint against every kind of caller: only a live operator key with
 * the endpoint's scope gets through; everyone else gets 401 or 403 with a JSON
 * error naming the authorization header.
 */
describe('sharing API tenancy matrix', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let webhooks: RunningWebhooks;
  let frAdmin: string;
  let frAdminId: string;
  /** the uk key the matrix's DELETE revokes */
  let ukVictimId: string;
  const keys = {} as Record<Caller, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const repo = new ApiKeysRepository(db.pool);
    const make = async (caller: Caller, owner: { operatorId?: string; regulatorId?: string }, scopes: ApiScope[]) => {
      const k = generateApiKey();
      const id = `key_${caller}_${uniqueSuffix()}`;
      await repo.create({ id, ...owner, name: caller, prefix: k.prefix, hash: k.hash, scopes });
      keys[caller] = k.key;
      return id;
    };
    for (const scope of ['read', 'publish', 'feedback', 'admin'] as const) await make(scope, { operatorId: 'demo-uk' }, [scope]);
    await repo.revoke(await make('revoked', { operatorId: 'demo-uk' }, ['read', 'publish', 'feedback', 'admin']));
    await make('regulator', { regulatorId: 'demo-regulator' }, ['read', 'publish', 'feedback', 'admin', 'stats']);
    ukVictimId = (await repo.issue({ operatorId: 'demo-uk' }, { name: 'victim', scopes: ['read'] })).row.id;
    const fr = generateApiKey();
    frAdminId = `key_fr_${uniqueSuffix()}`;
    await repo.create({
      id: frAdminId,
      operatorId: 'demo-fr',
      name: 'fr',
      prefix: fr.prefix,
      hash: fr.hash,
      scopes: ['read', 'admin'],
    });
    frAdmin = fr.key;
    // every refused caller of every endpoint, from one address: more failed authentications than the default budget
    const config = testConfig({ DATABASE_URL: db.url, AUTH_FAILURES_PER_MINUTE: '1000' });
    const logger = capturingLogger('sharing').logger;
    redis = createRedis(config.redis.url, 'producer');
    while (redis.status !== 'ready') await new Promise((r) => setTimeout(r, 20));
    webhooks = startWebhooks({ config, logger, pool: db.pool, options: { allowPrivateTargets: true, pollMs: 200 } });
    server = await listen(createSharingApp({ config, logger, pool: db.pool, redis, webhooks }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(1000);
    await webhooks.close();
    redis.disconnect();
    await db.drop();
  });

  const endpoints: Endpoint[] = [
    { name: 'GET /v1/indicators', scope: 'read', ok: 200, send: (r) => r('get', '/v1/indicators') },
    { name: 'GET /v1/campaigns', scope: 'read', ok: 200, send: (r) => r('get', '/v1/campaigns') },
    { name: 'GET /v1/portal/now', scope: 'read', ok: 200, send: (r) => r('get', '/v1/portal/now') },
    { name: 'GET /v1/portal/lookup', scope: 'read', ok: 200, send: (r) => r('get', '/v1/portal/lookup?q=evri.top') },
    { name: 'GET /v1/portal/me', scope: 'read', ok: 200, send: (r) => r('get', '/v1/portal/me') },
    {
      name: 'GET /v1/portal/campaigns/{id}',
      scope: 'read',
      ok: 404,
      send: (r) => r('get', '/v1/portal/campaigns/campaign--00000000-0000-4000-8000-000000000000'),
    },
    {
      name: 'POST /v1/indicators',
      scope: 'publish',
      ok: 201,
      send: (r) =>
        r('post', '/v1/indicators').send({ type: 'domain', value: `m-${uniqueSuffix()}.example`, category: 'fraud', tlp: 'amber' }),
    },
    {
      name: 'POST /v1/sightings',
      scope: 'feedback',
      ok: 404,
      send: (r) => r('post', '/v1/sightings').send({ indicator_id: 'c999999', kind: 'blocked' }),
    },
    { name: 'GET /v1/sightings', scope: 'read', ok: 200, send: (r) => r('get', '/v1/sightings') },
    { name: 'DELETE /v1/sightings/{id}', scope: 'feedback', ok: 404, send: (r) => r('delete', '/v1/sightings/no-such-sighting') },
    { name: 'GET /v1/webhooks', scope: 'read', ok: 200, send: (r) => r('get', '/v1/webhooks') },
    { name: 'POST /v1/webhooks', scope: 'admin', ok: 201, send: (r) => r('post', '/v1/webhooks').send({ url: 'http://127.0.0.1:9/hook' }) },
    { name: 'GET /v1/keys', scope: 'admin', ok: 200, send: (r) => r('get', '/v1/keys') },
    { name: 'POST /v1/keys', scope: 'admin', ok: 201, send: (r) => r('post', '/v1/keys').send({ name: 'matrix', scopes: ['read'] }) },
    { name: 'DELETE /v1/keys/{id}', scope: 'admin', ok: 200, send: (r) => r('delete', `/v1/keys/${ukVictimId}`) },
  ];
  const callers: Caller[] = ['anonymous', 'read', 'publish', 'feedback', 'admin', 'revoked', 'regulator'];
  const cases = endpoints.flatMap((e) => callers.map((c) => [e.name, c, e] as const));

  it.each(cases)('%s as %s', async (_name, caller, endpoint) => {
    const res = await endpoint.send((method, path) => {
      const req = request(server.url)[method](path);
      return caller === 'anonymous' ? req : req.set('authorization', `Bearer ${keys[caller]}`);
    });
    const expected =
      caller === endpoint.scope ? endpoint.ok : caller === 'anonymous' || caller === 'revoked' || caller === 'regulator' ? 401 : 403;
    expect(res.status).toBe(expected);
    if (expected === 401 || expected === 403)
      expect(res.body.error).toMatchObject({ field: 'authorization', requestId: expect.any(String) });
  });

  it("answers 404 for another operator's webhook, its deliveries and its secrets, as for one that does not exist", async () => {
    const created = await request(server.url)
      .post('/v1/webhooks')
      .set('authorization', `Bearer ${frAdmin}`)
      .send({ url: 'http://127.0.0.1:9/fr-hook' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const uk = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_ukboth_${uniqueSuffix()}`,
      operatorId: 'demo-uk',
      name: 'uk',
      prefix: uk.prefix,
      hash: uk.hash,
      scopes: ['read', 'admin'],
    });
    const asUk = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
      request(server.url)[method](path).set('authorization', `Bearer ${uk.key}`);
    const attempts = [
      asUk('get', `/v1/webhooks/${id}`),
      asUk('get', `/v1/webhooks/${id}/deliveries`),
      asUk('patch', `/v1/webhooks/${id}`).send({ status: 'disabled' }),
      asUk('post', `/v1/webhooks/${id}/secrets`).send({}),
      asUk('delete', `/v1/webhooks/${id}`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const list = await request(server.url).get('/v1/webhooks').set('authorization', `Bearer ${keys.read}`);
    expect(JSON.stringify(list.body)).not.toContain('fr-hook');
    const still = await request(server.url).get(`/v1/webhooks/${id}`).set('authorization', `Bearer ${frAdmin}`);
    expect(still.body).toMatchObject({ id, status: 'active' });
  });

  it("shows and revokes none of another operator's keys: 404 as for a key that does not exist", async () => {
    const asUk = (method: 'get' | 'delete', path: string) => request(server.url)[method](path).set('authorization', `Bearer ${keys.admin}`);
    const listed = await asUk('get', '/v1/keys');
    expect(listed.status).toBe(200);
    expect(listed.body.data.length).toBeGreaterThan(0);
    expect(JSON.stringify(listed.body)).not.toContain(frAdminId);
    const theirs = await asUk('delete', `/v1/keys/${frAdminId}`);
    const nobodys = await asUk('delete', '/v1/keys/key_nobody');
    expect([theirs.status, nobodys.status]).toEqual([404, 404]);
    expect(theirs.body.error.message).toBe(nobodys.body.error.message);
    const fr = await request(server.url).get('/v1/keys').set('authorization', `Bearer ${frAdmin}`);
    expect(fr.status).toBe(200);
    expect(fr.body.data.map((k: { id: string }) => k.id)).toEqual([frAdminId]);
    expect(fr.body.data[0]).toMatchObject({ current: true, status: 'active' });
  });

  it("shows, and takes back, none of another operator's sightings: 404 as for one that does not exist", async () => {
    const value = `sighted-${uniqueSuffix()}.top`;
    await inFeedTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.8, true, true, 4)`,
        [value],
      );
    });
    const feed = await request(server.url).get('/v1/indicators?limit=1000').set('authorization', `Bearer ${keys.read}`);
    const indicatorId = (feed.body.data as Array<{ id: string; value: string }>).find((i) => i.value === value)!.id;
    const sightingId = `uk-${uniqueSuffix()}`;
    const recorded = await request(server.url)
      .post('/v1/sightings')
      .set('authorization', `Bearer ${keys.feedback}`)
      .send({ id: sightingId, indicator_id: indicatorId, kind: 'false_positive', note: 'uk eyes only' });
    expect(recorded.status).toBe(201);
    // Another operator, with every scope the sightings routes take.
    await db.pool.query(`INSERT INTO operators (id, name, country) VALUES ('demo-es', 'Demo ES', 'ES') ON CONFLICT DO NOTHING`);
    const es = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_es_${uniqueSuffix()}`,
      operatorId: 'demo-es',
      name: 'es',
      prefix: es.prefix,
      hash: es.hash,
      scopes: ['read', 'feedback'],
    });
    const asEs = (method: 'get' | 'delete', path: string) => request(server.url)[method](path).set('authorization', `Bearer ${es.key}`);
    const listed = [await asEs('get', '/v1/sightings?limit=200'), await asEs('get', `/v1/sightings?indicator_id=${indicatorId}`)];
    for (const res of listed) {
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
    const theirs = await asEs('delete', `/v1/sightings/${sightingId}`);
    const nobodys = await asEs('delete', '/v1/sightings/nobody-s');
    expect([theirs.status, nobodys.status]).toEqual([404, 404]);
    expect(theirs.body.error).toMatchObject({ field: 'id', message: nobodys.body.error.message });
    const ours = await request(server.url).get(`/v1/sightings?indicator_id=${indicatorId}`).set('authorization', `Bearer ${keys.read}`);
    expect(ours.body.data).toEqual([expect.objectContaining({ id: sightingId, note: 'uk eyes only', revoked_at: null })]);
  });

  it('serves TAXII under /taxii2/ to operator keys only, by Bearer or HTTP Basic', async () => {
    const accept = 'application/taxii+json;version=2.1';
    const bearer = await request(server.url).get('/taxii2/').set('accept', accept).set('authorization', `Bearer ${keys.read}`);
    const basic = await request(server.url).get('/taxii2/api/collections/').set('accept', accept).auth('demo-uk', keys.read);
    const anonymous = await request(server.url).get('/taxii2/').set('accept', accept);
    const regulator = await request(server.url).get('/taxii2/').set('accept', accept).set('authorization', `Bearer ${keys.regulator}`);
    expect([bearer.status, basic.status, anonymous.status, regulator.status]).toEqual([200, 200, 401, 401]);
    expect(bearer.headers['content-type']).toMatch(/application\/taxii\+json/);
    expect(basic.body.collections.length).toBeGreaterThanOrEqual(1);
    expect(bearer.headers['ratelimit-limit']).toBeDefined();
  });
});
