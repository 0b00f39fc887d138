import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedis } from '@srs/queue';
import {
  capturingLogger,
  deleteRedisPrefix,
  eventually,
  startSendsmsRecorder,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type SendsmsRecorder,
} from '@srs/testkit';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { twilioSignature } from '../../services/intake/src/gateways/twilio/twilio-signature';
import { startIntakeServer } from '../../services/intake/src/server';
import { startStack, type Stack } from './stack-harness';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Plays a Twilio-style REST API and an aggregator's reply endpoint: records what the worker sends. */
async function startProviderApi(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"sid":"SM0","status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;
const TWILIO = { sid: 'AC00000000000000000000000000000001', token: 'twilio-test-auth-token' };
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/**
 * Every way an operator connects a gateway, with the intake and the worker
 * running together on the real Redis and PostgreSQL: two operators (one
 * British on Kannel and a Twilio-style provider, one French on Kannel and a
 * signed JSON webhook), and the app API.
 */
describe('gateway adapters and the conversation across them', () => {
  let stack: Stack;
  let db: Stack['db'];
  let intake: Stack['intake'];
  let kannel: SendsmsRecorder;
  let provider: Awaited<ReturnType<typeof startProviderApi>>;
  const { logger, lines } = capturingLogger('intake');

  beforeAll(async () => {
    kannel = await startSendsmsRecorder();
    provider = await startProviderApi();
    const routes = {
      operators: {
        'demo-uk': { country: 'GB', language: 'en', shortCode: '7726' },
        'demo-fr': { country: 'FR', language: 'fr', shortCode: '33700' },
      },
      kannel: [
        { name: 'uk-kannel', operator: 'demo-uk', smsc: ['UK-SMSC'], sendsmsUrl: kannel.url, user: 'srs', password: 'srs-secret' },
        {
          name: 'fr-kannel',
          operator: 'demo-fr',
          smsc: ['FR-SMSC'],
          sendsmsUrl: kannel.url,
          user: 'srs',
          password: 'srs-secret',
          smscForReplies: 'FR-SMSC',
        },
      ],
      twilio: [{ name: 'uk-twilio', operator: 'demo-uk', accountSid: TWILIO.sid, authToken: TWILIO.token, apiUrl: provider.url }],
      webhooks: [{ name: 'fr-aggregator', operator: 'demo-fr', secret: WEBHOOK_SECRET, replyUrl: `${provider.url}/sms/replies` }],
    };
    stack = await startStack({
      config: { INTAKE_ROUTES: JSON.stringify(routes), RATE_LIMIT_REPORTER_PER_MINUTE: '6', WORKER_CONCURRENCY: '4' },
      loggers: { intake: logger },
    });
    ({ db, intake } = stack);
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([kannel?.close(), provider?.close()]);
  });

  const kannelMo = (from: string, text: string, smsc = 'UK-SMSC', to = '7726') =>
    request(intake.url)
      .get('/v1/gateways/kannel/mo')
      .query({ from, to, text, id: `k-${uniqueSuffix()}`, smsc, coding: '0' });
  const kannelRepliesTo = (msisdn: string) => kannel.received.filter((r) => r.params.to === msisdn).map((r) => r.params);
  const reportByReference = (reference: string) =>
    db.pool.query('SELECT * FROM reports WHERE reference = $1', [reference]).then((r) => r.rows[0]);

  describe('Kannel, per operator', () => {
    it("answers in the operator's language and reads national numbers in the operator's country", async () => {
      const msisdn = `33${testMsisdn().slice(-9)}`;
      const opened = await kannelMo(msisdn, 'http://colis-suivi.example/a7 0612345678', 'FR-SMSC', '33700');
      expect(opened.status).toBe(202);
      const [ask] = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 1,
      );
      expect(ask).toMatchObject({ from: '33700', smsc: 'FR-SMSC' });
      expect(ask!.text).toMatch(/^Merci/);
      expect((await kannelMo(msisdn, '06 12 34 56 78', 'FR-SMSC', '33700')).status).toBe(202);
      const [, confirm] = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 2,
      );
      const reference = REFERENCE.exec(ask!.text!)![1]!;
      expect(confirm!.text).toContain(reference);
      expect(await reportByReference(reference)).toMatchObject({
        operator_id: 'demo-fr',
        channel: 'fr-kannel',
        sender_value: '+33612345678',
        language: 'fr',
      });
    });

    it('lets the detected language override the operator language, and keywords in other languages', async () => {
      const msisdn = testMsisdn();
      const english = testMsisdn();
      await kannelMo(english, 'HELP');
      const enHelp = (
        await eventually(
          () => kannelRepliesTo(english),
          (r) => r.length >= 1,
        )
      )[0]!.text;
      await kannelMo(msisdn, 'AYUDA');
      await kannelMo(msisdn, 'Su paquete está retenido, pague la tasa de envío en http://paquete.example');
      const replies = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 2,
      );
      const help = replies.find((r) => !REFERENCE.test(r.text!));
      const ask = replies.find((r) => REFERENCE.test(r.text!));
      expect(help!.text).toContain('7726');
      expect(help!.text).not.toBe(enHelp);
      expect(ask!.text).toMatch(/^Gracias/);
    });

    it('matches a sender sent right after the text to the open report, not to a new one', async () => {
      const msisdn = testMsisdn();
      // The sender follows as soon as the text is acknowledged, usually before the worker has stored
      // its report (either order must give one report); a fixed pause instead let the sender overtake
      // the text on a busy machine.
      const first = await kannelMo(msisdn, 'Your Netflix payment failed, update at http://netf1ix-billing.example');
      const second = await kannelMo(msisdn, 'NETFLIX');
      expect([first.status, second.status]).toEqual([202, 202]);
      const replies = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 2,
      );
      const reference = REFERENCE.exec(replies[0]!.text!)![1]!;
      expect(await reportByReference(reference)).toMatchObject({ sender_value: 'NETFLIX', completion: 'sender' });
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE reporter_pseudonym = $1', [
        (await reportByReference(reference)).reporter_pseudonym,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('gives each report in a row its own reference, closing the one still waiting without sender', async () => {
      const msisdn = testMsisdn();
      await kannelMo(msisdn, 'You have been selected for a £500 voucher, claim at http://voucher.example');
      await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 1,
      );
      await kannelMo(msisdn, 'Your parcel could not be delivered, reschedule at http://redeliver.example');
      const replies = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 2,
      );
      const [a, b] = replies.map((r) => REFERENCE.exec(r.text!)![1]!);
      expect(a).not.toBe(b);
      expect(await reportByReference(a!)).toMatchObject({ awaiting_sender: false, completion: 'no_sender_superseded' });
      expect(await reportByReference(b!)).toMatchObject({ awaiting_sender: true });
    });

    it('stores a text holding a NUL character (binary SMS) with U+FFFD in its place, and refuses one in an identifier', async () => {
      const msisdn = testMsisdn();
      expect((await kannelMo(msisdn, 'spam ACME Win\u0000 a prize at http://nul-prize.example/x')).status).toBe(202);
      const [ack] = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 1,
      );
      expect(await reportByReference(REFERENCE.exec(ack!.text!)![1]!)).toMatchObject({
        body: 'Win\uFFFD a prize at http://nul-prize.example/x',
      });
      const refused = await request(intake.url)
        .get('/v1/gateways/kannel/mo')
        .query({ from: msisdn, to: '7726', text: 'HELP', id: 'k-\u0000', smsc: 'UK-SMSC' });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ field: 'gatewayMessageId' });
    });

    it('answers bad input with a helpful reply, never an error', async () => {
      const msisdn = testMsisdn();
      const texts = [
        '🙂',
        'BANK',
        'STATUS ZZZZ2222',
        'STATUS',
        `${'Win a free phone today at http://win.example '.repeat(110)}`,
        'what is this?',
      ];
      for (const text of texts) expect((await kannelMo(msisdn, text)).status).toBe(202);
      const replies = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= texts.length,
      );
      const said = replies.map((r) => r.text!);
      expect(said).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/empty/i),
          expect.stringMatching(/forward the spam text first|nothing is waiting/i),
          expect.stringMatching(/ZZZZ2222/),
          expect.stringMatching(/STATUS AB2C3D4E/),
          expect.stringMatching(/number or name/),
          expect.stringMatching(/couldn't read that as a sender/i),
        ]),
      );
      for (const text of said) expect(text.length).toBeLessThanOrEqual(160);
    });

    it('tells a flooding subscriber once to slow down, then drops the rest silently', async () => {
      const msisdn = testMsisdn();
      const statuses = [];
      for (let i = 0; i < 9; i++) statuses.push((await kannelMo(msisdn, 'HELP')).body.status);
      // Every message is recorded at the door; the limit is the worker's decision, told by SMS.
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(9);
      const replies = await eventually(
        () => kannelRepliesTo(msisdn),
        (r) => r.length >= 7,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(kannelRepliesTo(msisdn)).toHaveLength(7);
      expect(replies.filter((r) => /wait/i.test(r.text!))).toHaveLength(1);
    });
  });

  describe('Twilio-style webhook', () => {
    const path = '/v1/gateways/twilio/sms';
    const signed = (params: Record<string, string>, token = TWILIO.token) =>
      request(intake.url)
        .post(path)
        .type('form')
        .set('X-Twilio-Signature', twilioSignature(token, `${intake.url}${path}`, params))
        .send(params);

    it('takes a signed message, answers empty TwiML and replies through the provider API', async () => {
      const from = `+${testMsisdn()}`;
      const res = await signed({
        MessageSid: `SM${uniqueSuffix()}`,
        AccountSid: TWILIO.sid,
        From: from,
        To: '7726',
        Body: 'Your bank account has been locked. Verify now at http://secure-bank.example',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/xml/);
      expect(res.text).toContain('<Response></Response>');
      const sent = await eventually(
        () => provider.received.filter((r) => r.path.includes('/Messages.json') && new URLSearchParams(r.body).get('To') === from),
        (r) => r.length >= 1,
      );
      const form = new URLSearchParams(sent[0]!.body);
      expect(sent[0]!.path).toBe(`/2010-04-01/Accounts/${TWILIO.sid}/Messages.json`);
      expect(form.get('From')).toBe('7726');
      const reference = REFERENCE.exec(form.get('Body')!)![1]!;
      expect(await reportByReference(reference)).toMatchObject({ operator_id: 'demo-uk', gateway: 'twilio', channel: 'uk-twilio' });
    });

    it('refuses a wrong signature with 403 and stores nothing', async () => {
      const params = { MessageSid: `SM${uniqueSuffix()}`, From: `+${testMsisdn()}`, To: '7726', Body: 'hello there this is spam' };
      const res = await signed(params, 'not-the-token');
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'invalid_signature', field: 'x-twilio-signature', requestId: expect.any(String) });
      const { rows } = await db.pool.query('SELECT 1 FROM reports WHERE gateway_message_id = $1', [params.MessageSid]);
      expect(rows).toHaveLength(0);
    });

    it('answers a signed message without From with 400 naming the field', async () => {
      const res = await signed({ MessageSid: `SM${uniqueSuffix()}`, To: '7726', Body: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('From');
    });
  });

  describe('signed JSON webhook', () => {
    const path = '/v1/gateways/webhook/sms';
    const send = (payload: unknown, secret = WEBHOOK_SECRET, id = `msg_${uniqueSuffix()}`, at = new Date()) => {
      const body = JSON.stringify(payload);
      const signature = new Webhook(secret).sign(id, at, body);
      return request(intake.url)
        .post(path)
        .set('content-type', 'application/json')
        .set('webhook-id', id)
        .set('webhook-timestamp', String(Math.floor(at.getTime() / 1000)))
        .set('webhook-signature', signature)
        .send(body);
    };

    it('takes a signed delivery and posts a signed reply in the operator language', async () => {
      const from = `+33${testMsisdn().slice(-9)}`;
      const res = await send({
        from,
        to: '33700',
        text: 'Votre compte Ameli est suspendu, mettez à jour vos informations sur http://ameli-fr.example',
      });
      expect(res.status).toBe(202);
      const [reply] = await eventually(
        () => provider.received.filter((r) => r.path === '/sms/replies' && r.body.includes(from)),
        (r) => r.length >= 1,
      );
      const verified = new Webhook(WEBHOOK_SECRET).verify(reply!.body, reply!.headers as Record<string, string>) as {
        text: string;
        to: string;
      };
      expect(verified.to).toBe(from);
      expect(verified.text).toMatch(/^Merci/);
      const reference = REFERENCE.exec(verified.text)![1]!;
      expect(await reportByReference(reference)).toMatchObject({ operator_id: 'demo-fr', gateway: 'webhook', channel: 'fr-aggregator' });
    });

    it('refuses an unsigned, wrongly signed or stale delivery with 401', async () => {
      const payload = { from: `+${testMsisdn()}`, text: 'spam spam spam' };
      const unsigned = await request(intake.url).post(path).send(payload);
      const wrong = await send(payload, `whsec_${randomBytes(24).toString('base64')}`);
      const stale = await send(payload, WEBHOOK_SECRET, `msg_${uniqueSuffix()}`, new Date(Date.now() - 3600_000));
      for (const res of [unsigned, wrong, stale]) {
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({ code: 'invalid_signature', field: 'webhook-signature' });
      }
    });

    it('answers a signed delivery without text with 400 naming the field', async () => {
      const res = await send({ from: `+${testMsisdn()}` });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('text');
    });
  });

  describe('app API', () => {
    let ukKey: string;
    let frKey: string;
    let statsOnlyKey: string;
    beforeAll(async () => {
      const make = (operatorId: string, scopes: Array<'report' | 'read'>) => stack.key(operatorId, scopes);
      ukKey = await make('demo-uk', ['report']);
      frKey = await make('demo-fr', ['report']);
      statsOnlyKey = await make('demo-uk', ['read']);
    });

    const report = (key: string | undefined, body: unknown) => {
      const req = request(intake.url).post('/v1/reports');
      return (key ? req.set('authorization', `Bearer ${key}`) : req).send(body as object);
    };

    it('takes sender and text in one request, idempotently, and shows the stored report to its operator only', async () => {
      const id = `app-${uniqueSuffix()}`;
      const body = {
        id,
        reporter: `+${testMsisdn()}`,
        sender: '+44 7700 900777',
        text: 'Your package awaits: pay customs at http://customs-fee.example',
      };
      const first = await report(ukKey, body);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ id, status: 'accepted' });
      expect(first.headers.location).toBe(`/v1/reports/${id}`);
      expect((await report(ukKey, body)).body).toMatchObject({ status: 'duplicate' });

      const stored = await eventually(
        () => request(intake.url).get(`/v1/reports/${id}`).set('authorization', `Bearer ${ukKey}`),
        (r) => r.status === 200,
      );
      expect(stored.body).toMatchObject({ id, status: 'received', sender: '+447700900777', reference: expect.stringMatching(REFERENCE) });
      const other = await request(intake.url).get(`/v1/reports/${id}`).set('authorization', `Bearer ${frKey}`);
      expect(other.status).toBe(404);
      expect(await reportByReference(stored.body.reference)).toMatchObject({
        gateway: 'app',
        completion: 'one_message',
        operator_id: 'demo-uk',
      });
    });

    it('refuses a missing, unknown or under-scoped key, naming the authorization header', async () => {
      const body = { reporter: `+${testMsisdn()}`, sender: 'BANK', text: 'spam text here' };
      const missing = await report(undefined, body);
      const unknown = await report(`srs_abcdefghij_${'x'.repeat(40)}`, body);
      const scoped = await report(statsOnlyKey, body);
      expect([missing.status, unknown.status, scoped.status]).toEqual([401, 401, 403]);
      for (const res of [missing, unknown, scoped]) expect(res.body.error.field).toBe('authorization');
      expect(missing.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 400 naming the field for a bad reporter, sender or text', async () => {
      const good = { reporter: `+${testMsisdn()}`, sender: 'BANK', text: 'Your card is blocked, call now' };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...good, reporter: 'abc' }, 'reporter'],
        [{ ...good, sender: '!!!' }, 'sender'],
        [{ ...good, text: '' }, 'text'],
        [{ reporter: good.reporter, sender: 'BANK' }, 'text'],
      ];
      for (const [body, field] of cases) {
        const res = await report(ukKey, body);
        expect(res.status).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
    });
  });

  describe('a connection that floods the intake', () => {
    it('gets 429 with Retry-After and the messages it retries are taken', async () => {
      const floodConfig = testConfig({ DATABASE_URL: db.url, RATE_LIMIT_CONNECTION_PER_SECOND: '3', KANNEL_SENDSMS_URL: kannel.url });
      const floodRedis = createRedis(floodConfig.redis.url, 'producer');
      await eventually(
        () => floodRedis.status,
        (s) => s === 'ready',
      );
      const server = await startIntakeServer({ config: floodConfig, logger, pool: db.pool, redis: floodRedis }, 0);
      try {
        const statuses: number[] = [];
        let retryAfter: string | undefined;
        let refused: Record<string, string> | undefined;
        // All at once: one after another, a busy machine spreads six requests over more than one second's allowance.
        // Eight within at most two one-second windows of 3: at least two are refused.
        const queries = Array.from({ length: 8 }, () => ({ from: testMsisdn(), to: '7726', text: 'HELP', id: `f-${uniqueSuffix()}` }));
        const answers = await Promise.all(queries.map((query) => request(server.url).get('/v1/gateways/kannel/mo').query(query)));
        answers.forEach((res, i) => {
          statuses.push(res.status);
          if (res.status === 429) {
            retryAfter = res.headers['retry-after'];
            refused = queries[i];
            expect(res.body.error.code).toBe('rate_limited');
          }
        });
        expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(3);
        expect(statuses).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000));
        const retried = await request(server.url).get('/v1/gateways/kannel/mo').query(refused!);
        expect(retried.status).toBe(202);
        expect(retried.body.status).toBe('accepted');
      } finally {
        await server.close(1000);
        await deleteRedisPrefix(floodRedis, floodConfig.redis.prefix);
        floodRedis.disconnect();
      }
    });
  });

  it('writes no subscriber number to its logs', () => {
    expect(lines.join('\n')).not.toMatch(/7700900\d{3}/);
  });
});
