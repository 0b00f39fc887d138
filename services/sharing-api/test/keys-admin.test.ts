import { hashApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiKeyRow, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import type { ApiKey } from '../browser/subscriptions-types';
import { createSharingApp } from '../src/app';

type KeyJson = ApiKey & { key?: string };

/** /v1/keys: an operator's admin key lists, makes and revokes its own operator's keys, and nothing else. */
describe('sharing API: an admin key manages its operator’s keys', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let repo: ApiKeysRepository;
  const logs = capturingLogger('sharing');
  const held = {} as Record<'ukAdmin' | 'ukRead' | 'ukPublish' | 'frAdmin' | 'regulator', { row: ApiKeyRow; key: string }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    repo = new ApiKeysRepository(db.pool);
    held.ukRead = await repo.issue({ operatorId: 'demo-uk' }, { name: 'reader', scopes: ['read'] });
    held.ukPublish = await repo.issue({ operatorId: 'demo-uk' }, { name: 'publisher', scopes: ['publish', 'feedback'] });
    held.frAdmin = await repo.issue({ operatorId: 'demo-fr' }, { name: 'fr admin', scopes: ['read', 'admin'] });
    held.regulator = await repo.issue({ regulatorId: 'demo-regulator' }, { name: 'statistics', scopes: ['stats'] });
    held.ukAdmin = await repo.issue({ operatorId: 'demo-uk' }, { name: 'uk admin', scopes: ['read', 'admin'] });
    const config = testConfig({ DATABASE_URL: db.url });
    redis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    server = await listen(createSharingApp({ config, logger: logs.logger, pool: db.pool, redis }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const as = (key: string) => ({
    get: (path: string) => request(server.url).get(path).set('authorization', `Bearer ${key}`),
    post: (path: string, body: unknown) =>
      request(server.url)
        .post(path)
        .set('authorization', `Bearer ${key}`)
        .send(body as object),
    delete: (path: string) => request(server.url).delete(path).set('authorization', `Bearer ${key}`),
  });
  const admin = () => as(held.ukAdmin.key);
  const create = async (body: { name: string; scopes: ApiScope[]; expires_in_days?: number }) => {
    const res = await admin().post('/v1/keys', body);
    expect(res.status).toBe(201);
    return res.body as KeyJson & { key: string };
  };

  it("lists its own operator's keys newest first, marks the current one, and never shows a hash, another operator's or a regulator's key", async () => {
    const res = await admin().get('/v1/keys');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.body.data as KeyJson[];
    const ids = data.map((k) => k.id);
    expect(ids).toEqual(expect.arrayContaining([held.ukAdmin.row.id, held.ukRead.row.id, held.ukPublish.row.id]));
    expect(ids).not.toContain(held.frAdmin.row.id);
    expect(ids).not.toContain(held.regulator.row.id);
    const created = data.map((k) => Date.parse(k.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(data.filter((k) => k.current).map((k) => k.id)).toEqual([held.ukAdmin.row.id]);
    expect(data.find((k) => k.id === held.ukRead.row.id)).toEqual({
      id: held.ukRead.row.id,
      name: 'reader',
      prefix: `srs_${held.ukRead.row.prefix}`,
      scopes: ['read'],
      status: 'active',
      current: false,
      created_at: held.ukRead.row.createdAt.toISOString(),
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
    });
    expect(held.ukRead.key.startsWith(`srs_${held.ukRead.row.prefix}_`)).toBe(true);
    const text = JSON.stringify(res.body);
    for (const k of Object.values(held)) {
      expect(text).not.toContain(k.row.hash);
      expect(text).not.toContain(k.key);
    }
    expect(text).not.toContain('hash');
  });

  it('makes a key with the scopes asked for, shows it once, and the key works within those scopes only', async () => {
    const before = Date.now();
    const res = await admin().post('/v1/keys', { name: 'SMS firewall', scopes: ['read'], expires_in_days: 30 });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const made = res.body as KeyJson & { key: string };
    expect(made).toMatchObject({ name: 'SMS firewall', scopes: ['read'], status: 'active', current: false, revoked_at: null });
    expect(made.key).toMatch(/^srs_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{32}$/);
    expect(made.key.startsWith(`${made.prefix}_`)).toBe(true);
    const expires = Date.parse(made.expires_at!);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 1000);

    // only the hash is stored; the listing has the key without its secret
    const stored = await db.pool.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [made.id]);
    expect(stored.rows[0]).toMatchObject({ operator_id: 'demo-uk', hash: hashApiKey(made.key), scopes: ['read'] });
    expect(JSON.stringify(stored.rows[0])).not.toContain(made.key);
    const listed = (await admin().get('/v1/keys')).body.data as KeyJson[];
    expect(listed[0]).toEqual({ ...made, key: undefined });
    expect(JSON.stringify(listed)).not.toContain(made.key);

    const fresh = as(made.key);
    expect((await fresh.get('/v1/indicators')).status).toBe(200);
    expect((await fresh.post('/v1/indicators', { type: 'domain', value: 'x.example', category: 'fraud', tlp: 'red' })).status).toBe(403);
    for (const res of [
      await fresh.get('/v1/keys'),
      await fresh.post('/v1/keys', { name: 'x', scopes: ['read'] }),
      await fresh.delete(`/v1/keys/${made.id}`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'insufficient_scope', field: 'authorization' });
    }
  });

  it('logs and audits each key made and revoked, never with the secret', async () => {
    const made = await create({ name: 'audited', scopes: ['publish'] });
    const revoked = await admin().delete(`/v1/keys/${made.id}`);
    expect(revoked.status).toBe(200);
    const created = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'api key created');
    expect(created).toContainEqual(
      expect.objectContaining({ keyId: made.id, operatorId: 'demo-uk', scopes: ['publish'], by: held.ukAdmin.row.id }),
    );
    const gone = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'api key revoked');
    expect(gone).toContainEqual(expect.objectContaining({ keyId: made.id, operatorId: 'demo-uk', by: held.ukAdmin.row.id }));
    expect(logs.lines.join('\n')).not.toContain(made.key);
    expect(logs.lines.join('\n')).not.toContain(made.key.slice(made.prefix.length + 1));

    const audited = await eventually(
      () =>
        db.pool.query<{ method: string; path: string; status: number; operator_id: string }>(
          'SELECT method, path, status, operator_id FROM audit_log WHERE key_id = $1 ORDER BY id',
          [held.ukAdmin.row.id],
        ),
      (r) => r.rows.some((row) => row.method === 'DELETE' && row.path === `/v1/keys/${made.id}`),
    );
    expect(audited.rows).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: `/v1/keys/${made.id}`, status: 201, operator_id: 'demo-uk' },
        { method: 'DELETE', path: `/v1/keys/${made.id}`, status: 200, operator_id: 'demo-uk' },
      ]),
    );
  });

  it.each([
    [{ name: 'x', scopes: ['report'] }, 'scopes', /intake.*CLI/],
    [{ name: 'x', scopes: ['read', 'attest'] }, 'scopes', /intake.*CLI/],
    [{ name: 'x', scopes: ['stats'] }, 'scopes', /regulators/],
    [{ name: 'x', scopes: ['read', 'read'] }, 'scopes', /read is given twice/],
    [{ name: 'x', scopes: ['root'] }, 'scopes', /unknown scope "root"; one of read, publish, feedback, admin/],
    [{ name: 'x', scopes: [] }, 'scopes', /scopes/],
    [{ name: 'x', scopes: 'read' }, 'scopes', /scopes/],
    [{ name: 'x' }, 'scopes', /scopes/],
    [{ scopes: ['read'] }, 'name', /name/],
    [{ name: '  ', scopes: ['read'] }, 'name', /name/],
    [{ name: 'x'.repeat(101), scopes: ['read'] }, 'name', /name/],
    [{ name: 'x', scopes: ['read'], expires_in_days: 0 }, 'expires_in_days', /expires_in_days/],
    [{ name: 'x', scopes: ['read'], expires_in_days: 731 }, 'expires_in_days', /expires_in_days/],
    [{ name: 'x', scopes: ['read'], expires_in_days: 1.5 }, 'expires_in_days', /expires_in_days/],
    [{ name: 'x', scopes: ['read'], expires_in_days: '30' }, 'expires_in_days', /expires_in_days/],
    [{ name: 'x', scopes: ['read'], operator_id: 'demo-fr' }, 'operator_id', /operator_id/],
  ])('refuses %j with 400 naming %s', async (body, field, message) => {
    const before = (await repo.listForOperator('demo-uk')).length;
    const res = await admin().post('/v1/keys', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', field, requestId: expect.any(String) });
    expect(res.body.error.message).toMatch(message);
    expect((await repo.listForOperator('demo-uk')).length).toBe(before);
  });

  it("answers 404 for another operator's key as for one that does not exist, and leaves it working", async () => {
    const theirs = await admin().delete(`/v1/keys/${held.frAdmin.row.id}`);
    const nobodys = await admin().delete('/v1/keys/key_0000000000000000');
    const long = await admin().delete(`/v1/keys/key_${'x'.repeat(200)}`);
    for (const res of [theirs, nobodys, long]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', message: 'no such key' });
    }
    expect((await as(held.frAdmin.key).get('/v1/keys')).status).toBe(200);
    expect((await repo.findActiveByPrefix(held.frAdmin.row.prefix))?.revokedAt).toBeNull();
  });

  it('revokes a key at once, then answers the same again; the revoked key gets 401', async () => {
    const made = await create({ name: 'to revoke', scopes: ['read'] });
    expect((await as(made.key).get('/v1/indicators')).status).toBe(200);
    const first = await admin().delete(`/v1/keys/${made.id}`);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toMatchObject({ id: made.id, status: 'revoked', current: false, revoked_at: expect.any(String) });
    expect(first.body).not.toHaveProperty('key');
    const refused = await as(made.key).get('/v1/indicators');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization' });

    const again = await admin().delete(`/v1/keys/${made.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const revokedLogs = logs.lines.filter((l) => l.includes('"api key revoked"') && l.includes(made.id));
    expect(revokedLogs).toHaveLength(1);
  });

  it('refuses to revoke the key making the request with 409, and the key keeps working', async () => {
    const res = await admin().delete(`/v1/keys/${held.ukAdmin.row.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'revoking_current_key', field: 'id' });
    expect(res.body.error.message).toMatch(/another admin key.*CLI/);
    expect((await admin().get('/v1/keys')).status).toBe(200);
  });

  it('lets a new admin key revoke the one that made it', async () => {
    const second = await create({ name: 'second admin', scopes: ['admin'] });
    const rotated = as(second.key);
    const mine = (await rotated.get('/v1/keys')).body.data as KeyJson[];
    expect(mine.filter((k) => k.current).map((k) => k.id)).toEqual([second.id]);
    const byOther = await rotated.delete(`/v1/keys/${held.ukRead.row.id}`);
    expect(byOther.status).toBe(200);
    expect((await as(held.ukRead.key).get('/v1/indicators')).status).toBe(401);
  });

  it('answers 403 on every route to an operator key without admin, and 401 to a regulator key', async () => {
    const publisher = as(held.ukPublish.key);
    const regulator = as(held.regulator.key);
    for (const caller of [publisher, regulator]) {
      const answers = [
        await caller.get('/v1/keys'),
        await caller.post('/v1/keys', { name: 'x', scopes: ['read'] }),
        await caller.delete(`/v1/keys/${held.ukAdmin.row.id}`),
      ];
      expect(answers.map((r) => r.status)).toEqual(caller === publisher ? [403, 403, 403] : [401, 401, 401]);
    }
  });

  it('records when a key was last used, after it was verified, over the API and over TAXII', async () => {
    const reader = await create({ name: 'used', scopes: ['read'] });
    const lastUsed = async () => ((await admin().get('/v1/keys')).body.data as KeyJson[]).find((k) => k.id === reader.id)!.last_used_at;
    expect(await lastUsed()).toBeNull();
    // a wrong secret behind the right prefix is not a use
    expect((await as(`${reader.key.slice(0, -4)}AAAA`).get('/v1/indicators')).status).toBe(401);
    expect((await as(reader.key).get('/v1/indicators')).status).toBe(200);
    const stamped = await eventually(lastUsed, (at) => at !== null);
    expect(Date.parse(stamped!)).toBeGreaterThanOrEqual(Date.parse(reader.created_at));

    const taxiiOnly = await create({ name: 'taxii', scopes: ['read'] });
    const taxii = await request(server.url)
      .get('/taxii2/api/collections/')
      .set('Accept', 'application/taxii+json;version=2.1')
      .auth('client', taxiiOnly.key);
    expect(taxii.status).toBe(200);
    await eventually(
      async () => ((await admin().get('/v1/keys')).body.data as KeyJson[]).find((k) => k.id === taxiiOnly.id)!.last_used_at,
      (at) => at !== null,
    );
  });
});
