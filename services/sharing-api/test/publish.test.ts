import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { sealedIds } from '../src/feed/sealed-ids';

describe('sharing API: publishing, sightings, rate limits and audit', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let limited: RunningServer;
  const keys: Record<string, string> = {};
  const config = testConfig({ INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.3' });
  /** `seq` is sealed; the test, holding the server's key, reads the position behind it */
  const seqOf = (sealed: string) => sealedIds(config.sharing.idKey).open('cursor', sealed)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    const repo = new ApiKeysRepository(db.pool);
    const make = async (name: string, operatorId: string, scopes: ApiScope[]) => {
      const k = generateApiKey();
      await repo.create({ id: `key_${name}_${uniqueSuffix()}`, operatorId, name, prefix: k.prefix, hash: k.hash, scopes });
      keys[name] = k.key;
    };
    await make('uk', 'demo-uk', ['read', 'publish', 'feedback']);
    await make('fr', 'demo-fr', ['read', 'publish', 'feedback']);
    await make('ukReader', 'demo-uk', ['read']);
    await db.pool.query(`INSERT INTO operators (id, name, country) VALUES ('demo-es', 'Demo ES', 'ES') ON CONFLICT DO NOTHING`);
    await make('es', 'demo-es', ['read', 'publish', 'feedback']);
    await make('frLimited', 'demo-fr', ['read']);
    redis = createRedis(config.redis.url, 'producer');
    const logger = capturingLogger('sharing').logger;
    server = await listen(
      createSharingApp({
        config: testConfig({ DATABASE_URL: db.url, INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.3' }),
        logger,
        pool: db.pool,
        redis,
      }),
      0,
      '127.0.0.1',
    );
    limited = await listen(
      createSharingApp({ config: testConfig({ DATABASE_URL: db.url, SHARING_RATE_LIMIT_PER_MINUTE: '5' }), logger, pool: db.pool, redis }),
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await server.close(1000);
    await limited.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const as = (who: string) => ({
    get: (path: string) => request(server.url).get(path).set('authorization', `Bearer ${keys[who]}`),
    post: (path: string, body: unknown) =>
      request(server.url)
        .post(path)
        .set('authorization', `Bearer ${keys[who]}`)
        .send(body as object),
  });
  async function feedFor(who: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor = '';
    for (;;) {
      const res = await as(who).get(`/v1/indicators?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...res.body.data);
      cursor = res.body.next;
      if (!res.body.has_more) return items;
    }
  }

  it('publishes from the least a client sends, idempotently, and shares it with the other operators', async () => {
    const value = `x-${uniqueSuffix()}.example`;
    const body = { type: 'domain', value, category: 'smishing', tlp: 'green' };
    const first = await as('uk').post('/v1/indicators', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^p_[A-Za-z0-9_-]{22}$/),
      source: 'demo-uk',
      value,
      tlp: 'green',
      status: 'active',
    });
    const again = await as('uk').post('/v1/indicators', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, seq: first.body.seq });
    const changed = await as('uk').post('/v1/indicators', { ...body, confidence: 0.95 });
    expect(seqOf(changed.body.seq)).toBeGreaterThan(seqOf(first.body.seq));
    const seenByFr = (await feedFor('fr')).filter((i) => i.value === value);
    expect(seenByFr).toEqual([expect.objectContaining({ id: first.body.id, source: 'demo-uk', confidence: expect.closeTo(0.95, 5) })]);
  });

  it('keeps a TLP:RED indicator with its publisher', async () => {
    const value = `red-${uniqueSuffix()}.example`;
    const res = await as('uk').post('/v1/indicators', { type: 'domain', value, category: 'fraud', tlp: 'red' });
    expect(res.status).toBe(201);
    expect((await feedFor('uk')).some((i) => i.value === value)).toBe(true);
    expect((await feedFor('fr')).some((i) => i.value === value)).toBe(false);
    const sighting = await as('fr').post('/v1/sightings', { indicator_id: res.body.id, kind: 'blocked' });
    expect(sighting.status).toBe(404);
    expect(sighting.body.error.field).toBe('indicator_id');
  });

  it('answers a malformed indicator with 400 naming the field, and a key without the publish scope with 403', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'domain', value: 'not a domain', category: 'smishing', tlp: 'green' }, 'value'],
      [{ type: 'phone', value: '0800 123', category: 'smishing', tlp: 'green' }, 'value'],
      [{ type: 'domain', value: 'ok.example', category: 'smishing' }, 'tlp'],
      [{ type: 'ip', value: '10.0.0.1', category: 'smishing', tlp: 'green' }, 'type'],
      [{ type: 'domain', value: 'ok.example', category: 'spam', tlp: 'green' }, 'category'],
    ];
    for (const [body, field] of cases) {
      const res = await as('uk').post('/v1/indicators', body);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const reader = await as('ukReader').post('/v1/indicators', { type: 'domain', value: 'ok.example', category: 'smishing', tlp: 'green' });
    expect(reader.status).toBe(403);
  });

  it('raises a consortium indicator on blocked reports and revokes it after false positives from two operators', async () => {
    const value = `shared-${uniqueSuffix()}.top`;
    await inFeedTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.5, true, true, 4, 1)`,
        [value],
      );
    });
    const before = (await feedFor('fr')).find((i) => i.value === value)!;
    const blocked = await as('fr').post('/v1/sightings', {
      id: `s-${uniqueSuffix()}`,
      indicator_id: before.id,
      kind: 'blocked',
      count: 120,
    });
    expect(blocked.status).toBe(201);
    const raised = (await feedFor('fr')).find((i) => i.value === value)!;
    expect(raised.confidence as number).toBeGreaterThan(before.confidence as number);

    const sightingId = `s-${uniqueSuffix()}`;
    await as('fr').post('/v1/sightings', { id: sightingId, indicator_id: before.id, kind: 'false_positive' });
    const repeated = await as('fr').post('/v1/sightings', { id: sightingId, indicator_id: before.id, kind: 'false_positive' });
    expect(repeated.body).toMatchObject({ recorded: false, indicator_status: 'active' });
    const second = await as('uk').post('/v1/sightings', { indicator_id: before.id, kind: 'false_positive' });
    expect(second.body).toMatchObject({ recorded: true, indicator_status: 'revoked' });
    const after = (await feedFor('uk')).find((i) => i.value === value)!;
    expect(after).toMatchObject({ status: 'revoked', shared: false });
  });

  it("lets no single operator revoke another operator's indicator or a consortium one, however many disputes it sends", async () => {
    const amber = await as('uk').post('/v1/indicators', {
      type: 'domain',
      value: `amber-${uniqueSuffix()}.example`,
      category: 'smishing',
      tlp: 'amber',
    });
    const value = `eight-reporters-${uniqueSuffix()}.top`;
    await inFeedTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.8, true, true, 8, 2)`,
        [value],
      );
    });
    const consortium = (await feedFor('fr')).find((i) => i.value === value)!;
    for (const target of [amber.body.id as string, consortium.id as string]) {
      for (let i = 0; i < 5; i++) {
        const res = await as('fr').post('/v1/sightings', { id: `fp-${i}-${uniqueSuffix()}`, indicator_id: target, kind: 'false_positive' });
        expect(res.body).toMatchObject({ recorded: true, indicator_status: 'active' });
      }
    }
    const seen = await feedFor('uk');
    expect(seen.find((i) => i.id === amber.body.id)).toMatchObject({ status: 'active' });
    expect(seen.find((i) => i.id === consortium.id)).toMatchObject({ status: 'active', shared: true });
    // A second operator agreeing makes two voices: that revokes.
    const second = await as('es').post('/v1/sightings', { indicator_id: amber.body.id, kind: 'false_positive' });
    expect(second.body).toMatchObject({ recorded: true, indicator_status: 'revoked' });
  });

  it('lets the publisher reactivate its own indicator by publishing it again, after which only new disputes count', async () => {
    const body = { type: 'domain', value: `reassert-${uniqueSuffix()}.example`, category: 'smishing', tlp: 'green' };
    const published = await as('uk').post('/v1/indicators', body);
    await as('fr').post('/v1/sightings', { indicator_id: published.body.id, kind: 'false_positive' });
    await as('es').post('/v1/sightings', { indicator_id: published.body.id, kind: 'false_positive' });
    expect((await feedFor('fr')).find((i) => i.id === published.body.id)).toMatchObject({ status: 'revoked' });

    const again = await as('uk').post('/v1/indicators', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: published.body.id, status: 'active' });
    expect(seqOf(again.body.seq)).toBeGreaterThan(seqOf(published.body.seq));
    expect((await feedFor('fr')).find((i) => i.id === published.body.id)).toMatchObject({ status: 'active' });
    const one = await as('fr').post('/v1/sightings', { indicator_id: published.body.id, kind: 'false_positive' });
    expect(one.body).toMatchObject({ recorded: true, indicator_status: 'active' });
  });

  it('revokes a published indicator at once when its publisher reports a false positive', async () => {
    const res = await as('fr').post('/v1/indicators', {
      type: 'sender_alphanumeric',
      value: 'FakeBank',
      category: 'smishing',
      tlp: 'amber',
    });
    expect(res.body.value).toBe('FAKEBANK');
    const fp = await as('fr').post('/v1/sightings', { indicator_id: res.body.id, kind: 'false_positive' });
    expect(fp.body).toMatchObject({ indicator_status: 'revoked' });
    expect((await feedFor('uk')).find((i) => i.id === res.body.id)).toMatchObject({ status: 'revoked', shared: false });
  });

  it('limits each key per minute with RateLimit headers, then 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await request(limited.url).get('/v1/campaigns').set('authorization', `Bearer ${keys.frLimited}`);
      statuses.push(last.status);
      if (i === 0) expect(last.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '4' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last!.body.error.code).toBe('rate_limited');
  });

  it('records who read or wrote what in the audit log', async () => {
    await as('ukReader').get('/v1/campaigns?limit=1');
    await new Promise((r) => setTimeout(r, 100));
    const { rows } = await db.pool.query(
      `SELECT method, path, status, operator_id FROM audit_log WHERE key_id LIKE 'key_ukReader_%' ORDER BY id`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/v1/indicators', status: 403, operator_id: 'demo-uk' },
        { method: 'GET', path: '/v1/campaigns', status: 200, operator_id: 'demo-uk' },
      ]),
    );
  });
});
