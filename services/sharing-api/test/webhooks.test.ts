import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, type ApiScope, type Pool } from '@srs/db';
import { errorHandler, listen, notFoundHandler, requestId, requireApiKey, type RunningServer } from '@srs/http';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { postWebhook } from '../src/webhooks/http-post';
import { sealedIds } from '../src/feed/sealed-ids';
import { startWebhooks, type RunningWebhooks } from '../src/webhooks/start-webhooks';
import { webhookRoutes } from '../src/webhooks/webhook-routes';

interface Received {
  at: number;
  path: string;
  headers: Record<string, string>;
  body: string;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A webhook receiver on loopback: records every request and answers as each path is told to. */
async function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, (n: number) => Answer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = received.filter((r) => r.path === path).length;
      received.push({ at: Date.now(), path, headers: flatten(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.get(path)?.(n) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path: string) => `${base}${path}`,
    answer: (path: string, fn: (n: number) => Answer) => answers.set(path, fn),
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeIndicator(pool: Pool, value: string, change: { category: string; score?: number; type?: string; publishable?: boolean }) {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
       VALUES ($1, $2, $3, 0.9, now(), now(), $4, $5, $5, 3)
       ON CONFLICT (type, value) DO UPDATE SET score = EXCLUDED.score, publishable = EXCLUDED.publishable,
         ever_published = indicators.ever_published OR EXCLUDED.publishable, seq = nextval('change_seq'), updated_at = now()`,
      [change.type ?? 'domain', value, change.category, change.score ?? 0.9, change.publishable ?? true],
    ),
  );
}

function writeCampaign(pool: Pool, text: string, category: string) {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen, report_count, reporter_count, operator_count, text_reporters)
       VALUES ('0123456789abcdef', $1, $1, $1, true, $2, 0.9, 'en', now(), now(), 5, 5, 1, 5)`,
      [text, category],
    ),
  );
}

describe('webhooks', () => {
  let db: TestDatabase;
  let webhooks: RunningWebhooks;
  let server: RunningServer;
  let strict: RunningServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const keys: Record<string, string> = {};
  const config = testConfig();
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
    await make('uk', 'demo-uk', ['read', 'admin']);
    await make('ukReader', 'demo-uk', ['read']);
    await make('fr', 'demo-fr', ['read', 'admin']);
    const { logger } = capturingLogger('webhooks');
    webhooks = startWebhooks({
      config,
      logger,
      pool: db.pool,
      options: { allowPrivateTargets: true, pollMs: 50, backoffMs: 100, attempts: 4, timeoutMs: 2000, requeueAfterMs: 200 },
    });
    const lookup = async (prefix: string) => {
      const key = await repo.findActiveByPrefix(prefix);
      return key?.operatorId ? key : undefined;
    };
    const app = (allowPrivateTargets: boolean) => {
      const a = express();
      a.use(requestId());
      a.use(
        webhookRoutes({
          webhooks: { ...webhooks, options: { ...webhooks.options, allowPrivateTargets } },
          auth: { read: requireApiKey(lookup, 'read'), admin: requireApiKey(lookup, 'admin') },
        }),
      );
      a.use(notFoundHandler());
      a.use(errorHandler(logger));
      return a;
    };
    server = await listen(app(true), 0, '127.0.0.1');
    strict = await listen(app(false), 0, '127.0.0.1');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await webhooks.close();
    await server.close(1000);
    await strict.close(1000);
    await receiver.close();
    await db.drop();
  });

  const as = (who: string, target: RunningServer = server) => ({
    get: (path: string) => request(target.url).get(path).set('authorization', `Bearer ${keys[who]}`),
    post: (path: string, body?: object) => request(target.url).post(path).set('authorization', `Bearer ${keys[who]}`).send(body),
    patch: (path: string, body: object) => request(target.url).patch(path).set('authorization', `Bearer ${keys[who]}`).send(body),
    delete: (path: string) => request(target.url).delete(path).set('authorization', `Bearer ${keys[who]}`),
  });

  /** A subscription of its own: a path on the receiver and a category nothing else writes. */
  async function subscribe(body: Record<string, unknown> = {}, who = 'uk') {
    const category = `cat-${uniqueSuffix()}`;
    const path = `/hook/${uniqueSuffix()}`;
    const { filter, ...rest } = body as { filter?: Record<string, unknown> };
    const res = await as(who).post('/v1/webhooks', { url: receiver.url(path), filter: { categories: [category], ...filter }, ...rest });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, secret: res.body.secret as string, category, path };
  }

  function verify(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
    return new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
  }

  type DeliveryView = { id: string; status: string; attempts: Array<{ status_code: number }> } & Record<string, unknown>;
  async function deliveries(id: string, who = 'uk'): Promise<DeliveryView[]> {
    const res = await as(who).get(`/v1/webhooks/${id}/deliveries`);
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('shows an operator its own webhooks only, and answers 404 for another operator’s', async () => {
    const mine = await subscribe({ description: 'firewall' });
    const list = await as('uk').get('/v1/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(mine.id);
    expect(JSON.stringify(list.body)).not.toContain(mine.secret);
    const shown = await as('ukReader').get(`/v1/webhooks/${mine.id}`);
    expect(shown.body).toMatchObject({
      id: mine.id,
      description: 'firewall',
      status: 'active',
      events: ['indicator.changed', 'campaign.changed'],
    });
    expect(shown.body.secrets).toEqual([expect.objectContaining({ expires_at: null })]);

    expect((await as('fr').get('/v1/webhooks')).body.data.map((w: { id: string }) => w.id)).not.toContain(mine.id);
    const foreign = await Promise.all([
      as('fr').get(`/v1/webhooks/${mine.id}`),
      as('fr').patch(`/v1/webhooks/${mine.id}`, { description: 'mine now' }),
      as('fr').post(`/v1/webhooks/${mine.id}/secrets`, {}),
      as('fr').get(`/v1/webhooks/${mine.id}/deliveries`),
      as('fr').post(`/v1/webhooks/${mine.id}/deliveries/msg_${mine.id.slice(3)}_1/replay`),
      as('fr').delete(`/v1/webhooks/${mine.id}`),
    ]);
    expect(foreign.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect((await as('uk').get(`/v1/webhooks/${mine.id}`)).body.description).toBe('firewall');
  });

  it('lets a read key list webhooks but not create, change or delete them', async () => {
    const mine = await subscribe();
    expect((await as('ukReader').post('/v1/webhooks', { url: receiver.url('/x') })).status).toBe(403);
    expect((await as('ukReader').patch(`/v1/webhooks/${mine.id}`, { status: 'disabled' })).status).toBe(403);
    expect((await as('ukReader').delete(`/v1/webhooks/${mine.id}`)).status).toBe(403);
    expect((await as('ukReader').get(`/v1/webhooks/${mine.id}/deliveries`)).status).toBe(200);
    expect((await as('uk').delete(`/v1/webhooks/${mine.id}`)).status).toBe(204);
    expect((await as('uk').get(`/v1/webhooks/${mine.id}`)).status).toBe(404);
  });

  it('refuses loopback, private and link-local targets unless the deployment allows them, naming url', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://10.1.2.3/x',
      'http://192.168.0.1/',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/',
    ]) {
      const res = await as('uk', strict).post('/v1/webhooks', { url });
      expect({ url, status: res.status, field: res.body.error?.field }).toEqual({ url, status: 400, field: 'url' });
    }
    for (const url of ['ftp://example.com/x', 'not a url'])
      expect((await as('uk', strict).post('/v1/webhooks', { url })).body.error.field).toBe('url');
    const allowed = await subscribe();
    const moved = await as('uk', strict).patch(`/v1/webhooks/${allowed.id}`, { url: 'http://127.0.0.1/elsewhere' });
    expect([moved.status, moved.body.error.field]).toEqual([400, 'url']);
  });

  it('refuses every IPv6 spelling of a loopback or private IPv4 address, naming url', async () => {
    const port = new URL(receiver.base).port;
    const spellings = [
      `http://[::127.0.0.1]:${port}/x`, // IPv4-compatible, as the attacker wrote it (the URL parser makes it ::7f00:1)
      `http://[::7f00:1]:${port}/x`,
      'http://[::10.0.0.1]/x',
      'http://[::169.254.169.254]/latest',
      'http://[::ffff:7f00:1]/x', // IPv4-mapped in hex
      'http://[0:0:0:0:0:ffff:127.0.0.1]/x',
      'http://[::ffff:0:127.0.0.1]/x', // IPv4-translated (RFC 6145)
      'http://[64:ff9b::127.0.0.1]/x', // NAT64 (RFC 6052)
      'http://[64:ff9b::a9fe:a9fe]/latest',
      'http://[64:ff9b:1::a00:1]/x', // local-use NAT64 (RFC 8215)
      'http://[2002:7f00:1::1]/x', // 6to4 of 127.0.0.1
      'http://[2002:c0a8:101::1]/x', // 6to4 of 192.168.1.1
      'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x', // Teredo, client 127.0.0.1
      'http://0x7f.1/x',
      'http://2130706433/x',
      'http://0177.0.0.1/x',
    ];
    for (const url of spellings) {
      const res = await as('uk', strict).post('/v1/webhooks', { url });
      expect({ url, status: res.status, field: res.body.error?.field }).toEqual({ url, status: 400, field: 'url' });
    }
    const allowed = await subscribe();
    for (const url of spellings) {
      const moved = await as('uk', strict).patch(`/v1/webhooks/${allowed.id}`, { url });
      expect({ url, status: moved.status, field: moved.body.error?.field }).toEqual({ url, status: 400, field: 'url' });
    }
    const path = `/compatible/${uniqueSuffix()}`;
    await expect(
      postWebhook(new URL(`http://[::127.0.0.1]:${port}${path}`), '{}', {}, { timeoutMs: 1000, allowPrivateTargets: false }),
    ).rejects.toThrow(/target refused/);
    expect(receiver.at(path)).toHaveLength(0);
  });

  it('refuses a private target again when delivering, by address and by name, without connecting', async () => {
    const path = `/guard/${uniqueSuffix()}`;
    const port = new URL(receiver.base).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      await expect(
        postWebhook(new URL(`http://${host}:${port}${path}`), '{}', {}, { timeoutMs: 1000, allowPrivateTargets: false }),
      ).rejects.toThrow(/target refused/);
    }
    expect(receiver.at(path)).toHaveLength(0);
    await expect(postWebhook(new URL(receiver.url(path)), '{}', {}, { timeoutMs: 1000, allowPrivateTargets: true })).resolves.toMatchObject(
      { status: 200 },
    );
  });

  it('answers a bad subscription with 400 naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'url'],
      [{ url: receiver.url('/x'), events: ['indicator.deleted'] }, 'events.0'],
      [{ url: receiver.url('/x'), filter: { min_confidence: 2 } }, 'filter.min_confidence'],
      [{ url: receiver.url('/x'), filter: { indicator_types: ['ip'] } }, 'filter.indicator_types.0'],
    ];
    for (const [body, field] of cases) {
      const res = await as('uk').post('/v1/webhooks', body);
      expect([res.status, res.body.error.field]).toEqual([400, field]);
    }
  });

  it('delivers each matching change once, signed so that standardwebhooks verifies it', async () => {
    const sub = await subscribe({ events: ['indicator.changed'], filter: { indicator_types: ['domain'], min_confidence: 0.7 } });
    const run = uniqueSuffix();
    await writeIndicator(db.pool, `match-${run}.top`, { category: sub.category, score: 0.9 });
    // Like the feed, a webhook carries an indicator's state as of its latest change: let this one go out before the next.
    await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    await writeIndicator(db.pool, `weak-${run}.top`, { category: sub.category, score: 0.5 });
    await writeIndicator(db.pool, `+4420${run.replace(/\D/g, '').padEnd(8, '7').slice(0, 8)}`, { category: sub.category, type: 'phone' });
    await writeIndicator(db.pool, `other-${run}.top`, { category: 'another-category', score: 0.9 });
    await writeCampaign(db.pool, `campaign ${run}`, sub.category);
    await writeIndicator(db.pool, `match-${run}.top`, { category: sub.category, score: 0.1, publishable: false });

    const got = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 2,
    );
    await pause(300);
    expect(receiver.at(sub.path)).toHaveLength(2);
    const events = got.map((r) => verify(sub.secret, r));
    expect(events.map((e) => [e.type, e.data.value, e.data.shared])).toEqual([
      ['indicator.changed', `match-${run}.top`, true],
      ['indicator.changed', `match-${run}.top`, false],
    ]);
    expect(seqOf(events[1]!.data.seq as string)).toBeGreaterThan(seqOf(events[0]!.data.seq as string));
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(2);

    const recorded = await eventually(
      () => deliveries(sub.id),
      (d) => d.length === 2 && d.every((x) => x.status === 'delivered'),
    );
    expect(recorded.map((d) => d.id).sort()).toEqual(got.map((r) => r.headers['webhook-id']).sort());
    expect(recorded[0]).toMatchObject({
      status: 'delivered',
      attempt_count: 1,
      attempts: [expect.objectContaining({ status_code: 200, error: null })],
    });

    // Dispatching again and queueing the same deliveries again send nothing twice.
    await webhooks.dispatcher.dispatchOnce();
    await webhooks.queue.add(recorded.map((d) => ({ id: d.id, generation: 0 })));
    await pause(300);
    expect(receiver.at(sub.path)).toHaveLength(2);
  });

  it('delivers campaign changes to subscriptions that asked for them', async () => {
    const sub = await subscribe({ events: ['campaign.changed'] });
    const text = `campaign for hooks ${uniqueSuffix()}`;
    await writeIndicator(db.pool, `not-a-campaign-${uniqueSuffix()}.top`, { category: sub.category });
    await writeCampaign(db.pool, text, sub.category);
    const [first] = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    await pause(200);
    expect(receiver.at(sub.path)).toHaveLength(1);
    expect(verify(sub.secret, first!)).toMatchObject({ type: 'campaign.changed', data: { category: sub.category, sample_text: text } });
  });

  it('keeps a TLP:RED indicator to its publisher’s own webhooks', async () => {
    const category = `red-${uniqueSuffix()}`;
    const uk = await subscribe({ filter: { categories: [category] } }, 'uk');
    const fr = await subscribe({ filter: { categories: [category] } }, 'fr');
    const value = `red-${uniqueSuffix()}.example`;
    await inFeedTransaction(db.pool, (client) =>
      client.query(
        `INSERT INTO published_indicators (operator_id, client_id, type, value, category, tlp, confidence) VALUES ('demo-uk', $1, 'domain', $2, $3, 'red', 0.9)`,
        [uniqueSuffix(), value, category],
      ),
    );
    await writeIndicator(db.pool, `green-${uniqueSuffix()}.top`, { category });
    await eventually(
      () => receiver.at(fr.path),
      (r) => r.length >= 1,
    );
    await eventually(
      () => receiver.at(uk.path),
      (r) => r.length >= 2,
    );
    await pause(200);
    expect(
      receiver
        .at(uk.path)
        .map((r) => verify(uk.secret, r).data.tlp)
        .sort(),
    ).toEqual(['green', 'red']);
    expect(receiver.at(fr.path).map((r) => verify(fr.secret, r).data.tlp)).toEqual(['green']);
  });

  it('signs with the old and the new secret while a rotation overlaps, then with the new one alone', async () => {
    const sub = await subscribe();
    const rotated = await as('uk').post(`/v1/webhooks/${sub.id}/secrets`, { previous_expires_in: 3600 });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(new Date(rotated.body.previous_expire_at).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect((await as('uk').get(`/v1/webhooks/${sub.id}`)).body.secrets).toHaveLength(2);

    await writeIndicator(db.pool, `rotating-${uniqueSuffix()}.top`, { category: sub.category });
    const [during] = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(sub.secret, during!).type).toBe('indicator.changed');
    expect(verify(fresh, during!).type).toBe('indicator.changed');

    const final = await as('uk').post(`/v1/webhooks/${sub.id}/secrets`, { previous_expires_in: 0 });
    await writeIndicator(db.pool, `rotated-${uniqueSuffix()}.top`, { category: sub.category });
    const after = (
      await eventually(
        () => receiver.at(sub.path),
        (r) => r.length >= 2,
      )
    )[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verify(final.body.secret, after).type).toBe('indicator.changed');
    for (const old of [sub.secret, fresh]) expect(() => verify(old, after)).toThrow();
  });

  it('retries after a 500 with exponential backoff, recording every attempt', async () => {
    const sub = await subscribe();
    receiver.answer(sub.path, (n) => (n < 2 ? { status: 500, body: 'database on fire' } : { status: 204 }));
    await writeIndicator(db.pool, `flaky-${uniqueSuffix()}.top`, { category: sub.category });
    const got = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 3,
    );
    expect(got).toHaveLength(3);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(100);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(200);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of got) expect(verify(sub.secret, r).type).toBe('indicator.changed');

    const [delivery] = await eventually(
      () => deliveries(sub.id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(delivery).toMatchObject({ status: 'delivered', attempt_count: 3, last_status_code: 204 });
    expect(delivery!.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        status_code: 500,
        error: 'answered 500',
        response_body: 'database on fire',
        duration_ms: expect.any(Number),
      }),
      expect.objectContaining({ attempt: 2, status_code: 500 }),
      expect.objectContaining({ attempt: 3, status_code: 204, error: null }),
    ]);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const sub = await subscribe();
    receiver.answer(sub.path, (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    await writeIndicator(db.pool, `slow-down-${uniqueSuffix()}.top`, { category: sub.category });
    const got = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 2,
    );
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(1900);
    const [delivery] = await eventually(
      () => deliveries(sub.id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(delivery!.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([429, 200]);
  });

  it('gives a delivery up as failed after its last attempt', async () => {
    const sub = await subscribe();
    receiver.answer(sub.path, () => ({ status: 503 }));
    await writeIndicator(db.pool, `down-${uniqueSuffix()}.top`, { category: sub.category });
    const [delivery] = await eventually(
      () => deliveries(sub.id),
      (d) => d[0]?.status === 'failed',
    );
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 4, last_status_code: 503 });
    expect(receiver.at(sub.path)).toHaveLength(4);
    expect((await as('uk').get(`/v1/webhooks/${sub.id}`)).body.status).toBe('active');

    // the list and the subscription carry their latest delivery and latest failure, without payload
    receiver.answer(sub.path, () => ({ status: 200 }));
    await writeIndicator(db.pool, `up-again-${uniqueSuffix()}.top`, { category: sub.category });
    const listed = await eventually(
      async () =>
        ((await as('uk').get('/v1/webhooks')).body.data as Array<Record<string, { status: string } | null> & { id: string }>).find(
          (w) => w.id === sub.id,
        )!,
      (w) => w.last_delivery?.status === 'delivered',
    );
    expect(listed.last_failure).toMatchObject({ id: delivery!.id, status: 'failed', attempt_count: 4, last_status_code: 503 });
    expect(listed.last_delivery).not.toHaveProperty('payload');
    expect((await as('uk').get(`/v1/webhooks/${sub.id}`)).body.last_failure).toMatchObject({ id: delivery!.id });
  });

  it('disables the subscription on 410, sends nothing more, and resumes where it stopped once re-enabled', async () => {
    const sub = await subscribe();
    let gone = true;
    receiver.answer(sub.path, () => (gone ? { status: 410 } : { status: 200 }));
    const first = `gone-${uniqueSuffix()}.top`;
    await writeIndicator(db.pool, first, { category: sub.category });
    await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    const disabled = await eventually(
      async () => (await as('uk').get(`/v1/webhooks/${sub.id}`)).body,
      (b) => b.status === 'disabled',
    );
    expect(disabled).toMatchObject({ status: 'disabled', disabled_reason: expect.stringContaining('410') });
    expect((await deliveries(sub.id))[0]).toMatchObject({ status: 'failed', attempt_count: 1, last_status_code: 410 });

    const second = `while-disabled-${uniqueSuffix()}.top`;
    await writeIndicator(db.pool, second, { category: sub.category });
    await pause(400);
    expect(receiver.at(sub.path)).toHaveLength(1);
    const replay = await as('uk').post(`/v1/webhooks/${sub.id}/deliveries/${(await deliveries(sub.id))[0]!.id}/replay`);
    expect(replay.status).toBe(409);

    gone = false;
    expect((await as('uk').patch(`/v1/webhooks/${sub.id}`, { status: 'active' })).body).toMatchObject({ status: 'active' });
    const got = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 2,
    );
    expect(verify(sub.secret, got[1]!).data.value).toBe(second);
  });

  it('replays a delivery on request, with the same webhook-id, recording the new attempt', async () => {
    const sub = await subscribe();
    await writeIndicator(db.pool, `replayed-${uniqueSuffix()}.top`, { category: sub.category });
    const [original] = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    const [delivered] = await eventually(
      () => deliveries(sub.id),
      (d) => d[0]?.status === 'delivered',
    );

    const res = await as('uk').post(`/v1/webhooks/${sub.id}/deliveries/${delivered!.id}/replay`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: delivered!.id, replays: 1 });
    const got = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 2,
    );
    expect(got[1]!.headers['webhook-id']).toBe(original!.headers['webhook-id']);
    expect(got[1]!.body).toBe(original!.body);
    expect(verify(sub.secret, got[1]!).type).toBe('indicator.changed');
    const shown = await eventually(
      async () => (await as('uk').get(`/v1/webhooks/${sub.id}/deliveries/${delivered!.id}`)).body,
      (d) => d.status === 'delivered' && d.attempts.length === 2,
    );
    expect(shown.attempts.map((a: { replay: number; attempt: number }) => [a.replay, a.attempt])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect((await as('fr').post(`/v1/webhooks/${sub.id}/deliveries/${delivered!.id}/replay`)).status).toBe(404);
    expect((await as('uk').post(`/v1/webhooks/${sub.id}/deliveries/msg_${sub.id.slice(3)}_1/replay`)).status).toBe(404);
  });

  it('queues a recorded delivery whose job never reached Redis', async () => {
    const sub = await subscribe();
    const id = `msg_${sub.id.slice(3)}_1`;
    const payload = JSON.stringify({ type: 'indicator.changed', timestamp: new Date().toISOString(), data: { value: 'stranded.top' } });
    await db.pool.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, seq, event_type, payload, updated_at) VALUES ($1, $2, 1, 'indicator.changed', $3, now() - interval '1 minute')`,
      [id, sub.id, payload],
    );
    const [got] = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    expect(got!.headers['webhook-id']).toBe(id);
    expect(verify(sub.secret, got!).data.value).toBe('stranded.top');
  });

  it('queues again a delivery whose job Redis lost, and gives up one whose job failed there unrecorded, so neither holds its place for ever', async () => {
    const sub = await subscribe();
    const lost = `msg_${sub.id.slice(3)}_1`;
    const failed = `msg_${sub.id.slice(3)}_2`;
    const payload = JSON.stringify({ type: 'indicator.changed', timestamp: new Date().toISOString(), data: { value: 'lost.top' } });
    await db.pool.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, seq, event_type, payload, enqueued_at)
       VALUES ($1, $3, 1, 'indicator.changed', $4, now() - interval '1 minute'), ($2, $3, 2, 'indicator.changed', $4, now() - interval '1 minute')`,
      [lost, failed, sub.id, payload],
    );
    // Under the second delivery's job id, a job that fails for good without recording anything.
    await webhooks.queue.queue.add('not-a-delivery', {}, { jobId: failed, attempts: 1 });

    const [got] = await eventually(
      () => receiver.at(sub.path),
      (r) => r.length >= 1,
    );
    expect(got!.headers['webhook-id']).toBe(lost);
    const shown = await eventually(
      () => deliveries(sub.id),
      (d) => d.every((x) => x.status !== 'pending'),
    );
    expect(shown.map((d) => [d.id, d.status, d.status === 'failed' ? d.last_error : null])).toEqual([
      [failed, 'failed', expect.stringContaining('given up')],
      [lost, 'delivered', null],
    ]);
    expect(receiver.at(sub.path)).toHaveLength(1);
  });

  it('pages deliveries newest first', async () => {
    const sub = await subscribe();
    for (let i = 0; i < 3; i++) await writeIndicator(db.pool, `paged-${i}-${uniqueSuffix()}.top`, { category: sub.category });
    await eventually(
      () => deliveries(sub.id),
      (d) => d.length === 3,
    );
    const first = await as('uk').get(`/v1/webhooks/${sub.id}/deliveries?limit=2`);
    const rest = await as('uk').get(`/v1/webhooks/${sub.id}/deliveries?limit=2&cursor=${first.body.next}`);
    const seqs = [...first.body.data, ...rest.body.data].map((d: { seq: string }) => seqOf(d.seq));
    expect(seqs).toHaveLength(3);
    expect(seqs.every((s, i) => i === 0 || s < seqs[i - 1]!)).toBe(true);
    expect(rest.body.next).toBeNull();
  });
});
