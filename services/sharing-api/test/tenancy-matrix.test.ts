import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { createSharingApp } from '../src/app';

type Caller = 'anonymous' | 'read' | 'publish' | 'feedback' | 'admin' | 'revoked' | 'regulator';

interface Endpoint {
  name: string;
  send: (req: (method: 'get' | 'post', path: string) => request.Test) => request.Test;
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
  let redis: Redis;
  let server: RunningServer;
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
    const config = testConfig({ DATABASE_URL: db.url });
    redis = createRedis(config.redis.url, 'producer');
    server = await listen(createSharingApp({ config, logger: capturingLogger('sharing').logger, pool: db.pool, redis }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const endpoints: Endpoint[] = [
    { name: 'GET /v1/indicators', scope: 'read', ok: 200, send: (r) => r('get', '/v1/indicators') },
    { name: 'GET /v1/campaigns', scope: 'read', ok: 200, send: (r) => r('get', '/v1/campaigns') },
    {
      name: 'POST /v1/indicators',
      scope: 'publish',
      ok: 201,
      send: (r) => r('post', '/v1/indicators').send({ type: 'domain', value: `m-${uniqueSuffix()}.example`, category: 'fraud', tlp: 'amber' }),
    },
    { name: 'POST /v1/sightings', scope: 'feedback', ok: 404, send: (r) => r('post', '/v1/sightings').send({ indicator_id: 'c999999', kind: 'blocked' }) },
  ];
  const callers: Caller[] = ['anonymous', 'read', 'publish', 'feedback', 'admin', 'revoked', 'regulator'];
  const cases = endpoints.flatMap((e) => callers.map((c) => [e.name, c, e] as const));

  it.each(cases)('%s as %s', async (_name, caller, endpoint) => {
    const res = await endpoint.send((method, path) => {
      const req = request(server.url)[method](path);
      return caller === 'anonymous' ? req : req.set('authorization', `Bearer ${keys[caller]}`);
    });
    const expected = caller === endpoint.scope ? endpoint.ok : caller === 'anonymous' || caller === 'revoked' || caller === 'regulator' ? 401 : 403;
    expect(res.status).toBe(expected);
    if (expected === 401 || expected === 403) expect(res.body.error).toMatchObject({ field: 'authorization', requestId: expect.any(String) });
  });
});
