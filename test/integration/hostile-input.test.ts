import { request as httpRequest } from 'node:http';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  deleteRedisPrefix,
  eventually,
  readInbox,
  testConfig,
  uniqueSuffix,
  type TestDatabase,
} from '@srs/testkit';
import fc from 'fast-check';
import { startIntakeServer } from '../../services/intake/src/server';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { startWebhooks, type RunningWebhooks } from '../../services/sharing-api/src/webhooks/start-webhooks';
import { createStatsApp } from '../../services/stats/src/app';

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** A request as an attacker sends it: any method, path, query, headers and bytes, nothing normalised. */
function send(base: string, req: { method: string; path: string; headers: Record<string, string>; body: Uint8Array }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      `${base}${req.path}`,
      { method: req.method, headers: { ...req.headers, 'content-length': String(req.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    r.on('error', reject);
    r.end(Buffer.from(req.body));
  });
}

const INTERNALS =
  /\n\s+at |node_modules|\/work\/|TypeError|ReferenceError|SyntaxError: Unexpected|syntax error at or near|duplicate key value|violates|ECONNREFUSED/;

/**
 * Random and malformed requests against every public endpoint of the intake,
 * the sharing API and the statistics: never a 5xx, never an internal detail
 * in an answer, never anything stored or queued from a refused request.
 */
describe('hostile input on every public endpoint', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let withDb: ReturnType<typeof testConfig>;
  const servers: Record<string, RunningServer> = {};
  let webhooks: RunningWebhooks;
  const shutdown = new AbortController();
  const keys: Record<string, string> = {};
  // The fuzz sends junk keys from one address: the failed-authentication limit would soon answer it 429 only.
  const config = testConfig({
    SHARING_RATE_LIMIT_PER_MINUTE: '100000',
    STATS_RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_CONNECTION_PER_SECOND: '100000',
    AUTH_FAILURES_PER_MINUTE: '100000',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    withDb = testConfig({
      ...process.env,
      DATABASE_URL: db.url,
      QUEUE_PREFIX: config.redis.prefix,
      SHARING_RATE_LIMIT_PER_MINUTE: '100000',
      STATS_RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_CONNECTION_PER_SECOND: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000',
    });
    redis = createRedis(withDb.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    const make = async (
      owner: { operatorId?: string; regulatorId?: string },
      scopes: Array<'report' | 'read' | 'publish' | 'feedback' | 'admin' | 'stats'>,
    ) => {
      const k = generateApiKey();
      await new ApiKeysRepository(db.pool).create({
        id: `key_${uniqueSuffix()}`,
        ...owner,
        name: 'fuzz',
        prefix: k.prefix,
        hash: k.hash,
        scopes,
      });
      return k.key;
    };
    keys.operator = await make({ operatorId: 'demo-uk' }, ['report', 'read', 'publish', 'feedback', 'admin']);
    keys.regulator = await make({ regulatorId: 'demo-regulator' }, ['stats']);
    const logger = capturingLogger('fuzz').logger;
    servers.intake = await startIntakeServer({ config: withDb, logger, pool: db.pool, redis }, 0);
    // With the webhook dispatcher running, as deployed: it mounts /v1/webhooks and /v1/stream.
    webhooks = startWebhooks({ config: withDb, logger, pool: db.pool, options: withDb.sharing.webhooks });
    servers.sharing = await listen(
      createSharingApp({ config: withDb, logger, pool: db.pool, redis, webhooks, shutdown: shutdown.signal }),
      0,
      '127.0.0.1',
    );
    servers.stats = await listen(createStatsApp({ config: withDb, logger, pool: db.pool, redis }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    shutdown.abort();
    for (const s of Object.values(servers)) await s.close(1000);
    await webhooks.close();
    await deleteRedisPrefix(redis, withDb.redis.prefix);
    redis.disconnect();
    await db.drop();
  });

  const ENDPOINTS: Array<{ service: string; methods: string[]; path: string; writes?: boolean }> = [
    { service: 'intake', methods: ['GET', 'POST'], path: '/v1/gateways/kannel/mo', writes: true },
    { service: 'intake', methods: ['POST'], path: '/v1/gateways/twilio/sms', writes: true },
    { service: 'intake', methods: ['POST'], path: '/v1/gateways/webhook/sms', writes: true },
    { service: 'intake', methods: ['POST', 'GET'], path: '/v1/reports', writes: true },
    { service: 'intake', methods: ['GET'], path: '/v1/reports/x' },
    { service: 'sharing', methods: ['GET'], path: '/v1/indicators' },
    { service: 'sharing', methods: ['POST'], path: '/v1/indicators', writes: true },
    { service: 'sharing', methods: ['GET'], path: '/v1/campaigns' },
    { service: 'sharing', methods: ['POST'], path: '/v1/sightings', writes: true },
    { service: 'sharing', methods: ['GET', 'POST'], path: '/taxii2/' },
    { service: 'sharing', methods: ['GET', 'POST'], path: '/taxii2/api/collections/consortium/objects/', writes: true },
    { service: 'sharing', methods: ['GET'], path: '/openapi.json' },
    { service: 'sharing', methods: ['GET'], path: '/docs' },
    { service: 'sharing', methods: ['GET', 'POST'], path: '/v1/webhooks', writes: true },
    { service: 'sharing', methods: ['GET', 'PATCH', 'DELETE'], path: '/v1/webhooks/wh_fuzz', writes: true },
    { service: 'sharing', methods: ['GET'], path: '/v1/webhooks/wh_fuzz/deliveries' },
    { service: 'sharing', methods: ['GET'], path: '/v1/webhooks/wh_fuzz/deliveries/d_fuzz' },
    { service: 'sharing', methods: ['POST'], path: '/v1/webhooks/wh_fuzz/deliveries/d_fuzz/replay', writes: true },
    { service: 'sharing', methods: ['POST'], path: '/v1/webhooks/wh_fuzz/secrets', writes: true },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/' },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/collections/' },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/collections/consortium/' },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/collections/consortium/manifest/' },
    {
      service: 'sharing',
      methods: ['GET'],
      path: '/taxii2/api/collections/consortium/objects/indicator--00000000-0000-4000-8000-000000000000/',
    },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/collections/consortium/objects/indicator--x/versions/' },
    { service: 'sharing', methods: ['GET'], path: '/taxii2/api/status/00000000-0000-4000-8000-000000000000/' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/reports' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/campaigns' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/indicators' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/meta' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/methodology' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/domains' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/summary' },
    { service: 'stats', methods: ['GET'], path: '/v1/stats/time-to-share' },
    { service: 'stats', methods: ['GET'], path: '/dashboard/' },
  ];

  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('%', '%zz', '%00', '%C0%AF', '\u0000', '__proto__', 'constructor', '9'.repeat(400), '[]', '{}', 'null', '-1', '1e309'),
  );
  const name = fc.oneof(
    fc.constantFrom(
      'from',
      'to',
      'text',
      'id',
      'smsc',
      'coding',
      'ts',
      'grain',
      'by',
      'category',
      'country',
      'limit',
      'cursor',
      'type',
      'token',
    ),
    junk,
  );
  const query = fc.array(fc.tuple(name, junk), { maxLength: 6 });
  const deepJson = fc.integer({ min: 30, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.json({ maxDepth: 4 }).map((s) => new TextEncoder().encode(s)),
    deepJson.map((s) => new TextEncoder().encode(s)),
    fc
      .constantFrom(
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '{"value":"a","type":"domain","id":"x"}',
        'From=%2B447700900123&Body=x&MessageSid=SM1',
      )
      .map((s) => new TextEncoder().encode(s)),
    fc.integer({ min: 60_000, max: 80_000 }).map((n) => new Uint8Array(n).fill(65)),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-16',
    'application/x-www-form-urlencoded',
    'text/plain; charset=latin1',
    'application/taxii+json;version=2.1',
    'multipart/form-data; boundary=x',
    'garbage/%%',
    '',
  );
  const auth = fc.constantFrom('operator', 'regulator', 'none', 'junk');

  it('refuses a NUL character in a query, a path or a JSON string with 400 naming where it was', async () => {
    const get = async (base: string, path: string, key: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, field: ((await res.json()) as { error?: { field?: string } }).error?.field };
    };
    expect(await get(servers.sharing!.url, '/v1/campaigns?category=%00', keys.operator!)).toEqual({ status: 400, field: 'category' });
    expect(await get(servers.sharing!.url, '/v1/webhooks/%00', keys.operator!)).toEqual({ status: 400, field: 'path' });
    expect(await get(servers.stats!.url, '/v1/stats/reports?country=G%00', keys.regulator!)).toEqual({ status: 400, field: 'country' });
    const published = await fetch(`${servers.sharing!.url}/v1/indicators`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ indicators: [{ type: 'domain', value: 'nul\u0000.example' }] }),
    });
    expect({ status: published.status, field: ((await published.json()) as { error: { field: string } }).error.field }).toEqual({
      status: 400,
      field: 'indicators[0].value',
    });
  });

  it('never answers 5xx or shows internals, and stores nothing it refused', async () => {
    const before = await counts();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.nat(),
        query,
        body,
        contentType,
        auth,
        async (endpoint, m, q, payload, type, who) => {
          const method = endpoint.methods[m % endpoint.methods.length]!;
          const qs = q.map(([k, v]) => `${encodeURIComponentLoose(k)}=${encodeURIComponentLoose(v)}`).join('&');
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (who === 'operator' || who === 'regulator') headers.authorization = `Bearer ${keys[who]}`;
          if (who === 'junk') headers.authorization = 'Bearer srs_AAAAAAAAAA_' + 'A'.repeat(32);
          const answer = await send(servers[endpoint.service]!.url, {
            method,
            path: `${endpoint.path}${qs ? `?${qs}` : ''}`,
            headers,
            body: method === 'GET' ? new Uint8Array() : payload,
          });
          expect({ status: answer.status, path: endpoint.path, method }).toEqual({
            status: expect.any(Number),
            path: endpoint.path,
            method,
          });
          expect(answer.status).toBeLessThan(500);
          expect(answer.body).not.toMatch(INTERNALS);
          if (answer.status >= 400 && answer.type.includes('application/taxii+json')) {
            // TAXII 2.1 section 3.6.1: the TAXII routes answer errors as TAXII error messages.
            expect(JSON.parse(answer.body)).toEqual(
              expect.objectContaining({ title: expect.any(String), http_status: String(answer.status), error_id: expect.any(String) }),
            );
          } else if (answer.status >= 400 && answer.type.includes('json')) {
            const parsed = JSON.parse(answer.body) as { error?: { code?: string; message?: string; requestId?: string } };
            expect(parsed.error).toEqual(
              expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }),
            );
          }
          if (endpoint.writes && method !== 'GET' && answer.status >= 200 && answer.status < 300) accepted++;
          if (endpoint.writes && method === 'GET' && endpoint.service === 'intake' && answer.status >= 200 && answer.status < 300)
            accepted++;
        },
      ),
      { numRuns: 1500 },
    );
    const after = await counts();
    // Whatever was stored or recorded, a request was accepted for it.
    expect(after.recorded + after.published + after.otherRows - before.recorded - before.published - before.otherRows).toBeLessThanOrEqual(
      accepted,
    );
    for (const s of Object.values(servers))
      expect((await send(s.url, { method: 'GET', path: '/healthz', headers: {}, body: new Uint8Array() })).status).toBe(200);
  });

  it('answers junk on the event streams without a 5xx, and closes what it opened', async () => {
    const STREAMS = [
      { service: 'sharing', path: '/v1/stream' },
      { service: 'stats', path: '/v1/stats/live' },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STREAMS),
        query,
        auth,
        fc.option(junk, { nil: undefined }),
        async (endpoint, q, who, lastEventId) => {
          const qs = q.map(([k, v]) => `${encodeURIComponentLoose(k)}=${encodeURIComponentLoose(v)}`).join('&');
          const headers: Record<string, string> = {};
          if (who === 'operator' || who === 'regulator') headers.authorization = `Bearer ${keys[who]}`;
          if (who === 'junk') headers.authorization = 'Bearer srs_AAAAAAAAAA_' + 'A'.repeat(32);
          if (lastEventId !== undefined) headers['last-event-id'] = encodeURIComponentLoose(lastEventId);
          // The status line is the answer; an accepted stream is left at once.
          const status = await new Promise<number>((resolve, reject) => {
            const req = httpRequest(`${servers[endpoint.service]!.url}${endpoint.path}${qs ? `?${qs}` : ''}`, { headers }, (res) => {
              resolve(res.statusCode ?? 0);
              res.destroy();
            });
            req.on('error', reject);
            req.end();
          });
          expect({ status, path: endpoint.path }).toEqual({ status: expect.any(Number), path: endpoint.path });
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    // Every stream left is given back: more than the connection limit, one after another, all open.
    for (let i = 0; i < 210; i++) {
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest(`${servers.sharing!.url}/v1/stream`, { headers: { authorization: `Bearer ${keys.operator}` } }, (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        })
          .on('error', reject)
          .end();
      });
      expect({ i, status }).toEqual({ i, status: 200 });
    }
  });

  it('keeps CORS closed and sends the security headers, on answers and on errors alike', async () => {
    for (const [service, path] of [
      ['intake', '/v1/reports'],
      ['sharing', '/v1/indicators'],
      ['stats', '/v1/stats/reports'],
      ['stats', '/nowhere'],
    ] as const) {
      const origin = { origin: 'https://evil.example' };
      const headersOf = (method: string, extra: Record<string, string> = {}) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          httpRequest(`${servers[service]!.url}${path}`, { method, headers: { ...origin, ...extra } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.headers));
          })
            .on('error', reject)
            .end();
        });
      // A browser on another origin gets no permission: no preflight grant, no allowed origin.
      const preflight = await headersOf('OPTIONS', {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      });
      expect(preflight['access-control-allow-origin']).toBeUndefined();
      expect(preflight['access-control-allow-headers']).toBeUndefined();
      const headers = await headersOf('GET');
      expect(headers['access-control-allow-origin']).toBeUndefined();
      expect(headers).toEqual(
        expect.objectContaining({
          'x-content-type-options': 'nosniff',
          'content-security-policy': expect.stringContaining("default-src 'self'"),
          'strict-transport-security': expect.any(String),
          'x-request-id': expect.any(String),
        }),
      );
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });

  async function counts() {
    // No worker runs here: what the intake recorded stays in the inbox.
    const recorded = await readInbox(redis, withDb.redis.prefix, withDb.inbox.partitions);
    const { rows } = await db.pool.query<{ published: number; otherRows: number }>(
      `SELECT (SELECT count(*) FROM published_indicators)::int AS published,
              (SELECT count(*) FROM sightings)::int + (SELECT count(*) FROM webhook_subscriptions)::int + (SELECT count(*) FROM webhook_secrets)::int AS "otherRows"`,
    );
    return { recorded: recorded.length, ...rows[0]! };
  }
});

/** Percent-encodes what would break the request line, and leaves the rest as the attacker wrote it. */
function encodeURIComponentLoose(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be encoded
  return s.replace(/[\u0000-\u0020\u007f-\uffff#&?=\s]/g, (c) => Buffer.from(c).toString('hex').replace(/(..)/g, '%$1'));
}
