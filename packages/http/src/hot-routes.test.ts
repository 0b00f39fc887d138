import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { AppError } from './app-error';
import { withHotRoutes, type HotRequest } from './hot-routes';
import { createMetricsRegistry } from './metrics';
import { listen, type RunningServer } from './serve';
import { createServiceApp } from './service-app';

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('hot routes ahead of express', () => {
  let server: RunningServer;
  let seen: HotRequest[];
  const { logger, lines } = logCapture();
  const metrics = createMetricsRegistry('hot-test');

  beforeAll(async () => {
    seen = [];
    const app = createServiceApp({ logger, checks: {}, metrics }, (app) => {
      app.get('/express', (_req, res) => void res.json({ from: 'express' }));
    });
    const listener = withHotRoutes(
      app,
      [
        {
          path: '/hot',
          handle: async (req) => {
            seen.push(req);
            const fail = new URLSearchParams(req.rawQuery).get('fail');
            if (fail === 'app') throw new AppError(429, 'rate_limited', 'slow down', undefined, { 'Retry-After': '3' });
            if (fail === 'zod') z.object({ from: z.string({ error: 'required' }) }).parse({});
            if (fail === 'bug') throw new Error('secret internals');
            return { status: 202, body: { status: 'accepted' } };
          },
        },
      ],
      { logger, metrics },
    );
    server = await listen(listener, 0, '127.0.0.1');
  });
  afterAll(() => server.close(1000));

  it('answers its route with the JSON body, a request id and the same security headers express sends', async () => {
    const hot = await fetch(`${server.url}/hot?from=1&text=a%20b`, { headers: { 'x-srs-token': 't' } });
    expect(hot.status).toBe(202);
    expect(await hot.json()).toEqual({ status: 'accepted' });
    expect(hot.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(hot.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/hot', rawQuery: 'from=1&text=a%20b' });
    expect(last.header('X-SRS-Token')).toBe('t');
    expect(last.remoteAddress).toMatch(/127\.0\.0\.1/);

    const viaExpress = await fetch(`${server.url}/express`);
    expect(await viaExpress.json()).toEqual({ from: 'express' });
    const varying = ['date', 'content-length', 'etag', 'x-request-id', 'connection', 'keep-alive'];
    const security = (h: Headers) => {
      const kept: Record<string, string> = {};
      h.forEach((value, name) => {
        if (!varying.includes(name)) kept[name] = value;
      });
      return kept;
    };
    expect(security(hot.headers)).toEqual(security(viaExpress.headers));
    expect(hot.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(hot.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps an upstream request id that looks like one, and makes its own otherwise', async () => {
    expect((await fetch(`${server.url}/hot`, { headers: { 'x-request-id': 'gw-42' } })).headers.get('x-request-id')).toBe('gw-42');
    expect((await fetch(`${server.url}/hot`, { headers: { 'x-request-id': 'bad id!' } })).headers.get('x-request-id')).not.toBe('bad id!');
  });

  it('answers a failure with the project JSON error, its status, headers and request id, never internals', async () => {
    const limited = await fetch(`${server.url}/hot?fail=app`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    const body = (await limited.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toEqual({ code: 'rate_limited', message: 'slow down', requestId: limited.headers.get('x-request-id') });

    const invalid = await fetch(`${server.url}/hot?fail=zod`);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string; field: string } }).error).toMatchObject({
      code: 'invalid_field',
      field: 'from',
    });

    const bug = await fetch(`${server.url}/hot?fail=bug`);
    expect(bug.status).toBe(500);
    const text = await bug.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal_error' } });
    expect(text).not.toContain('secret');
    expect(
      lines.some((l) => l.msg === 'request failed' && (l.err as { message?: string } | undefined)?.message === 'secret internals'),
    ).toBe(true);
  });

  it('leaves other methods and other spellings of the path to express', async () => {
    const post = await fetch(`${server.url}/hot`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${server.url}/hot/`)).status).toBe(404);
  });

  it('counts its requests in the one latency histogram, by route pattern and status, and logs each access', async () => {
    await fetch(`${server.url}/hot?from=secret-number`);
    const text = await metrics.metrics();
    expect(text).toMatch(/srs_http_request_duration_seconds_count\{service="hot-test",method="GET",route="\/hot",status="202"\} \d+/);
    expect(text).toMatch(/srs_http_request_duration_seconds_count\{service="hot-test",method="GET",route="\/express",status="200"\} 1/);
    expect(text).not.toContain('secret-number');
    const access = lines.filter((l) => l.msg === 'request completed' && (l.req as { path?: string }).path === '/hot');
    expect(access.length).toBeGreaterThan(0);
    expect(JSON.stringify(access)).not.toContain('secret-number');
  });
});
