import { capturingLogger, testConfig, testMsisdn, uniqueSuffix, type TestApp } from '@srs/testkit';
import { unseal, pseudonymise } from '@srs/core';
import request from 'supertest';
import { startIntakeServer } from '../src/server';
import { decideFirst, recorded } from './inbox';
import { startIntakeApp } from './intake-harness';

const MO = '/v1/gateways/kannel/mo';

describe('Kannel MO endpoint', () => {
  const { logger, lines } = capturingLogger('intake');
  let intake: TestApp;
  let config: TestApp['config'];
  let redis: TestApp['redis'];
  let db: TestApp['db'];
  let app: string;

  beforeAll(async () => {
    intake = await startIntakeApp({ config: { INTAKE_MAX_BODY_BYTES: '16384' }, logger });
    ({ config, redis, db, url: app } = intake);
  });

  afterAll(() => intake?.close());

  /** The messages recorded in the inbox (no worker runs here, so every one stays there). */
  const inbox = () => recorded(redis, config);
  async function recordedWithId(id: string) {
    return (await inbox()).filter((e) => e.gatewayMessageId === id);
  }

  it('records a GET delivery with the reporter only as pseudonym and sealed copy', async () => {
    const from = testMsisdn();
    const id = `kannel-${uniqueSuffix()}`;
    const sent = Date.now();
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
    // The door only records: what the message means is decided behind the inbox, so the answer says nothing of it.
    expect(res.body).toEqual({ status: 'accepted' });
    const entries = await recordedWithId(id);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      channel: { gateway: 'kannel', connection: 'kannel' },
      operatorId: config.operator.id,
      shortCode: '7726',
      text: 'URGENT your parcel is held, pay at http://fee.example/x',
      coding: 'gsm7',
      smsc: 'FAKE',
      receivedAt: Date.parse('2026-11-23T10:15:00.000Z'),
      replies: true,
    });
    expect(entry).not.toHaveProperty('sender');
    // The conversation runs on the service's clock: `at` is when the intake took the message in.
    expect(entry!.at).toBeGreaterThanOrEqual(sent);
    expect(entry!.at).toBeLessThanOrEqual(Date.now());
    expect(entry!.reporter.pseudonym).toBe(pseudonymise(`+${from}`, config.privacy.msisdnHmacKey));
    expect(unseal(entry!.reporter.sealed!, config.privacy.msisdnEncryptionKey)).toBe(from);
    expect(JSON.stringify(entry)).not.toContain(from.slice(2));
    // What the worker makes of it: a report opened, waiting for its sender.
    expect(decideFirst(entry!, config).steps.map((s) => s.type)).toEqual(['open_report', 'schedule_timeout']);
  });

  it('takes the arrival time for a gateway time of receipt that runs ahead of the service clock', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const ahead = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const res = await request(app)
      .get(MO)
      .query({ from: testMsisdn(), to: '7726', text: 'Win a prize at http://win.example', id, ts: ahead });
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry!.receivedAt).toBe(entry!.at);
  });

  it('records a POST delivery whose text is the body, as Kannel post-url sends it', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app)
      .post(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&smsc=FAKE&coding=0`)
      .set('Content-Type', 'text/plain; charset="UTF-8"')
      .set('X-Kannel-Time', '2026-11-23 10:16:00')
      .send('您的包裹被扣留，请点击链接支付 http://fee.example/cn');
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry).toMatchObject({
      receivedAt: Date.parse('2026-11-23T10:16:00.000Z'),
      text: '您的包裹被扣留，请点击链接支付 http://fee.example/cn',
    });
    expect(decideFirst(entry!, config).language).toBe('zh');
  });

  it('accepts a form-encoded POST with every field in the body', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app)
      .post(MO)
      .type('form')
      .send({ from: `+${testMsisdn()}`, to: '7726', text: 'Win a prize! Call 09061234567', id, coding: '2' });
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry).toMatchObject({ coding: 'ucs2', text: 'Win a prize! Call 09061234567' });
  });

  it('reads raw UCS-2 bytes when Kannel runs without mo-recode (coding=2)', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const text = '您的包裹被扣留，请点击链接支付运费';
    const escaped = [...Buffer.from(text, 'utf16le').swap16()].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const res = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&coding=2&text=${escaped}`);
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry).toMatchObject({ coding: 'ucs2', text });
    expect(decideFirst(entry!, config).language).toBe('zh');
  });

  it('accepts a JSON POST with the same fields', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const text = 'Votre colis est bloqué, payez les frais sur http://colis.example/fr';
    const res = await request(app)
      .post(MO)
      .send({ from: Number(testMsisdn()), to: '7726', text, id, coding: 0 });
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry).toMatchObject({ coding: 'gsm7', text });
    // No `ts`: the time of receipt is the arrival time.
    expect(entry!.receivedAt).toBe(entry!.at);
    expect(decideFirst(entry!, config).language).toBe('fr');
  });

  it('records the same gateway message delivered twice once', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const query = { from: testMsisdn(), to: '7726', text: 'dup', id };
    const first = await request(app).get(MO).query(query);
    const second = await request(app).get(MO).query(query);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body).toEqual({ status: 'accepted' });
    expect(second.body).toEqual({ status: 'duplicate' });
    expect(await recordedWithId(id)).toHaveLength(1);
  });

  it('stores a 5,000-character text whole', async () => {
    for (const text of [`${'x '.repeat(2499)}x`, '中'.repeat(5000)]) {
      const id = `kannel-${uniqueSuffix()}`;
      const res = await request(app).get(MO).query({ from: testMsisdn(), to: '7726', text, id });
      expect(res.status).toBe(202);
      expect((await recordedWithId(id))[0]?.text).toBe(text);
    }
  });

  it('records an empty text or a lone emoji, which the worker answers with help instead of storing a report', async () => {
    for (const [query, text] of [
      [`text=`, ''],
      [`text=${encodeURIComponent('🙂')}`, '🙂'],
      ['', ''],
    ] as const) {
      const id = `kannel-${uniqueSuffix()}`;
      const res = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&${query}`);
      expect(res.status).toBe(202);
      const [entry] = await recordedWithId(id);
      expect(entry?.text).toBe(text);
      expect(decideFirst(entry!, config).steps).toEqual([{ type: 'reply', key: 'empty', params: { shortCode: '7726' } }]);
    }
  });

  it('ignores fields it does not use', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app).get(MO).query({ from: testMsisdn(), to: '7726', text: 'hi', id, foo: 'bar', 'meta-data': '?smpp?x=1' });
    expect(res.status).toBe(202);
    const [entry] = await recordedWithId(id);
    expect(entry?.text).toBe('hi');
    expect(JSON.stringify(entry)).not.toMatch(/foo|meta-data|smpp\?x/);
  });

  it('records a NUL in the text as U+FFFD, and refuses one in an identifier with 400 naming the field', async () => {
    const id = `kannel-${uniqueSuffix()}`;
    const res = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=${id}&text=pay%00now`);
    expect(res.status).toBe(202);
    expect((await recordedWithId(id))[0]?.text).toBe('pay\uFFFDnow');

    const before = (await inbox()).length;
    const refused = await request(app).get(`${MO}?from=${testMsisdn()}&to=7726&id=nul%00${uniqueSuffix()}&text=pay`);
    expect(refused.status).toBe(400);
    // Named as the intake calls it whatever the gateway (Kannel's `id`, Twilio's MessageSid, …).
    expect(refused.body.error).toMatchObject({ code: 'invalid_parameter', field: 'gatewayMessageId' });
    expect((await inbox()).length).toBe(before);
  });

  describe('rejects a malformed delivery with 400 naming the field, and records nothing', () => {
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
      const before = (await inbox()).length;
      const res = await send();
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.error).toMatchObject({ field, requestId: expect.any(String) });
      expect(res.body.error.message).toEqual(expect.any(String));
      expect((await inbox()).length).toBe(before);
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
    const other = await startIntakeServer({ config: testConfig({ OPERATOR_ID: 'no-such-operator' }), logger, pool: db.pool, redis }, 0);
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
