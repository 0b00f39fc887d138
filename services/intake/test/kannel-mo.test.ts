import type { RunningServer } from '@srs/http';
import { conversationStepJob, createRedis, JOB_NAMES, ReportsQueue, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, testMsisdn, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { unseal, pseudonymise } from '@srs/core';
import request from 'supertest';
import { startIntakeServer } from '../src/server';

const MO = '/v1/gateways/kannel/mo';

describe('Kannel MO endpoint', () => {
  const config = testConfig({ INTAKE_MAX_BODY_BYTES: '16384' });
  const { logger, lines } = capturingLogger('intake');
  let redis: RedisClient;
  let db: TestDatabase;
  let queue: ReportsQueue;
  let server: RunningServer;
  let app: string;

  beforeAll(async () => {
    redis = createRedis(config.redis.url, 'producer');
    db = await createTestDatabase();
    queue = new ReportsQueue({ connection: redis, prefix: config.redis.prefix }, config.intake.dedupTtlSeconds);
    await queue.queue.waitUntilReady();
    server = await startIntakeServer({ config, logger, pool: db.pool, redis, reportsQueue: queue }, 0);
    app = server.url;
  });

  afterAll(async () => {
    await server.close(1000);
    await queue.queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await db.drop();
  });

  async function queued() {
    const jobs = await queue.queue.getJobs(['waiting', 'active', 'completed', 'failed']);
    return jobs.filter((j) => j.name === JOB_NAMES.conversationStep).map((j) => conversationStepJob.parse(j.data));
  }
  /** The text the message's first step stored, whatever the conversation made of it. */
  function textOf(job: ConversationStepJob | undefined): string | undefined {
    const step = job?.steps.find((s) => s.type === 'open_report' || s.type === 'file_report');
    return step && 'text' in step ? step.text : undefined;
  }
  async function queuedWithId(id: string) {
    return (await queued()).filter((j) => j.gatewayMessageId === id);
  }

  it('queues a GET delivery with the reporter only as pseudonym and sealed copy', async () => {
    const from = testMsisdn();
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app).get(MO).query({
      from,
      to: '7726',
      text: 'URGENT your parcel is held, pay at http://fee.example/x',
      id,
      smsc: 'FAKE',
      coding: '0',
      ts: '2026-11-23 10:15:00',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted' });
    const [job] = await queuedWithId(id);
    expect(job).toMatchObject({
      channel: { gateway: 'kannel', connection: 'kannel' },
      operatorId: config.operator.id,
      shortCode: '7726',
      coding: 'gsm7',
      smsc: 'FAKE',
      receivedAt: '2026-11-23T10:15:00.000Z',
    });
    expect(job!.steps.map((s) => s.type)).toEqual(['open_report', 'schedule_timeout']);
    expect(textOf(job)).toBe('URGENT your parcel is held, pay at http://fee.example/x');
    expect(job!.reporter.pseudonym).toBe(pseudonymise(`+${from}`, config.privacy.msisdnHmacKey));
    expect(unseal(job!.reporter.sealed!, config.privacy.msisdnEncryptionKey)).toBe(from);
    expect(JSON.stringify(job)).not.toContain(from.slice(2));
  });

  it('queues a POST delivery whose text is the body, as Kannel post-url sends it', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app)
      .post(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&smsc=FAKE&coding=0`)
      .set('Content-Type', 'text/plain; charset="UTF-8"')
      .set('X-Kannel-Time', '2026-11-23 10:16:00')
      .send('您的包裹被扣留，请点击链接支付 http://fee.example/cn');
    expect(res.status).toBe(202);
    const [job] = await queuedWithId(id);
    expect(job).toMatchObject({ receivedAt: '2026-11-23T10:16:00.000Z', language: 'zh' });
    expect(textOf(job)).toBe('您的包裹被扣留，请点击链接支付 http://fee.example/cn');
  });

  it('accepts a form-encoded POST with every field in the body', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app)
      .post(MO)
      .type('form')
      .send({ from: `+${testMsisdn()}`, to: '7726', text: 'Win a prize! Call 09061234567', id, coding: '2' });
    expect(res.status).toBe(202);
    const [job] = await queuedWithId(id);
    expect(job).toMatchObject({ coding: 'ucs2' });
    expect(textOf(job)).toBe('Win a prize! Call 09061234567');
  });

  it('reads raw UCS-2 bytes when Kannel runs without mo-recode (coding=2)', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const text = '您的包裹被扣留，请点击链接支付运费';
    const escaped = [...Buffer.from(text, 'utf16le').swap16()].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const res = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&coding=2&text=${escaped}`);
    expect(res.status).toBe(202);
    expect((await queuedWithId(id))[0]).toMatchObject({ coding: 'ucs2', language: 'zh' });
    expect(textOf((await queuedWithId(id))[0])).toBe(text);
  });

  it('accepts a JSON POST with the same fields', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const text = 'Votre colis est bloqué, payez les frais sur http://colis.example/fr';
    const res = await request(app)
      .post(MO)
      .send({ from: Number(testMsisdn()), to: '7726', text, id, coding: 0 });
    expect(res.status).toBe(202);
    expect((await queuedWithId(id))[0]).toMatchObject({ coding: 'gsm7', language: 'fr' });
    expect(textOf((await queuedWithId(id))[0])).toBe(text);
  });

  it('makes one job of the same gateway message delivered twice', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const query = { from: testMsisdn(), to: '7726', text: 'dup', id };
    const first = await request(app).get(MO).query(query);
    const second = await request(app).get(MO).query(query);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toMatchObject({ status: 'duplicate' });
    expect(await queuedWithId(id)).toHaveLength(1);
  });

  it('stores a 5,000-character text whole', async () => {
    for (const text of [`${'x '.repeat(2499)}x`, '中'.repeat(5000)]) {
      const id = `kannel-${uniqueSuffix()}`;
      const res = await request(app).get(MO).query({ from: testMsisdn(), to: '7726', text, id });
      expect(res.status).toBe(202);
      expect(textOf((await queuedWithId(id))[0])).toBe(text);
    }
  });

  it('answers an empty text or a lone emoji with help instead of storing a report', async () => {
    for (const query of [`text=`, `text=${encodeURIComponent('🙂')}`, '']) {
      const id = `kannel-${uniqueSuffix()}`;
      const res = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&${query}`);
      expect(res.status).toBe(202);
      const [job] = await queuedWithId(id);
      expect(job?.steps).toEqual([{ type: 'reply', key: 'empty', params: { shortCode: '7726' } }]);
    }
  });

  it('ignores fields it does not use', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app).get(MO).query({ from: testMsisdn(), to: '7726', text: 'hi', id, foo: 'bar', 'meta-data': '?smpp?x=1' });
    expect(res.status).toBe(202);
  });

  describe('rejects a malformed delivery with 400 naming the field, and queues nothing', () => {
    const cases: Array<[string, () => request.Test, string]> = [
      ['missing from', () => request(app).get(MO).query({ to: '7726', text: 'x', id: uniqueSuffix() }), 'from'],
      ['non-numeric from', () => request(app).get(MO).query({ from: 'VODAFONE', to: '7726', text: 'x', id: uniqueSuffix() }), 'from'],
      ['missing id', () => request(app).get(MO).query({ from: testMsisdn(), to: '7726', text: 'x' }), 'id'],
      ['missing to', () => request(app).get(MO).query({ from: testMsisdn(), text: 'x', id: uniqueSuffix() }), 'to'],
      ['unknown coding', () => request(app).get(MO).query({ from: testMsisdn(), to: '7726', id: uniqueSuffix(), coding: '7' }), 'coding'],
      [
        'invalid UTF-8 in the text',
        () => request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${uniqueSuffix()}&text=%C3%28abc`),
        'text',
      ],
      [
        'invalid UTF-8 in a POST body',
        () =>
          request(app)
            .post(`${MO}?from=${testMsisdn()}&to=7726&id=${uniqueSuffix()}`)
            .set('Content-Type', 'text/plain; charset=utf-8')
            .send(Buffer.from([0x66, 0xff, 0xfe])),
        'text',
      ],
      [
        'malformed JSON',
        () => request(app).post(MO).set('Content-Type', 'application/json').send('{"from": "447700900001", "text": '),
        'body',
      ],
      ['a JSON array', () => request(app).post(MO).set('Content-Type', 'application/json').send('[1,2]'), 'body'],
      [
        'a body over the size limit',
        () =>
          request(app)
            .post(`${MO}?from=${testMsisdn()}&to=7726&id=${uniqueSuffix()}`)
            .set('Content-Type', 'text/plain')
            .send('x'.repeat(20_000)),
        'body',
      ],
      [
        'a query over the size limit',
        () => request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${uniqueSuffix()}&text=${'x'.repeat(60_000)}`),
        'query',
      ],
    ];

    it.each(cases)('%s', async (_name, send, field) => {
      const before = (await queued()).length;
      const res = await send();
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.error).toMatchObject({ field, requestId: expect.any(String) });
      expect(res.body.error.message).toEqual(expect.any(String));
      expect((await queued()).length).toBe(before);
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(app).get('/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('reports liveness and readiness of PostgreSQL and Redis', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', operators: 'ok' } });
  });

  it('is not ready when its operator is not in the database', async () => {
    const other = await startIntakeServer(
      { config: testConfig({ OPERATOR_ID: 'no-such-operator' }), logger, pool: db.pool, redis, reportsQueue: queue },
      0,
    );
    try {
      const ready = await request(other.url).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toMatchObject({ operators: 'down' });
    } finally {
      await other.close(1000);
    }
  });

  it('never writes a subscriber number to its log', () => {
    const all = lines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toMatch(/7700900\d{3}/);
  });
});
