import { randomBytes } from 'node:crypto';
import type { KannelConnection, TwilioConnection, WebhookConnection } from '@srs/config';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { KannelSmsSender } from '../src/outbound/kannel-sendsms';
import { GatewayRejectedError, type OutboundSms } from '../src/outbound/sms-sender';
import { TwilioSmsSender } from '../src/outbound/twilio-sender';
import { WebhookSmsSender } from '../src/outbound/webhook-sender';
import { startGateway, type Received } from './fake-gateway';

/** The single request the gateway saw (fails the test if there were more or none). */
function onlyRequest(received: Received[]): Received {
  expect(received).toHaveLength(1);
  return received[0]!;
}

const sms: OutboundSms = { to: '+447700900123', from: '7726', text: 'Merci, signalement reçu 中文', coding: 'ucs2' };

describe('Twilio sender against a Twilio-style Messages API', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let connection: TwilioConnection;

  beforeAll(async () => {
    gateway = await startGateway();
    connection = {
      name: 'tw',
      operator: 'op-one',
      accountSid: 'AC0123456789abcdef',
      authToken: 'secret-token-42',
      apiUrl: `${gateway.url}/`,
    };
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    gateway.received.length = 0;
  });

  it('posts To, From and Body as a form to the account Messages resource with Basic auth', async () => {
    gateway.answer = { status: 201, body: '{"sid":"SM1","status":"queued"}' };
    await new TwilioSmsSender(connection).send(sms);

    const request = onlyRequest(gateway.received);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/2010-04-01/Accounts/AC0123456789abcdef/Messages.json');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const [scheme, credentials = ''] = (request.headers.authorization ?? '').split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(credentials, 'base64').toString()).toBe('AC0123456789abcdef:secret-token-42');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ To: sms.to, From: sms.from, Body: sms.text });
  });

  it('throws GatewayRejectedError with the status and the start of the body when the API refuses', async () => {
    gateway.answer = { status: 500, body: `{"message":"${'x'.repeat(500)}"}` };
    const failure = new TwilioSmsSender(connection).send(sms);

    await expect(failure).rejects.toBeInstanceOf(GatewayRejectedError);
    const error = (await failure.catch((e: unknown) => e)) as GatewayRejectedError;
    expect(error.status).toBe(500);
    expect(error.reason).toHaveLength(200);
    expect(error.reason.startsWith('{"message":"xxx')).toBe(true);
  });

  it('gives up after the timeout when the API does not answer, so the queue can retry', async () => {
    gateway.answer = { status: 201, hang: true };
    await expect(new TwilioSmsSender(connection, { timeoutMs: 200 }).send(sms)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('takes an answer that came in time though the worker was held up past the timeout before reading it', async () => {
    gateway.answer = { status: 201, body: '{"sid":"SM1","status":"queued"}', stallAfterMs: 400 };
    await expect(new TwilioSmsSender(connection, { timeoutMs: 200 }).send(sms)).resolves.toBeUndefined();
    onlyRequest(gateway.received);
  });

  it('lets a refused connection propagate as a network error, not a gateway rejection', async () => {
    const closed = await startGateway();
    await closed.close();
    const failure = new TwilioSmsSender({ ...connection, apiUrl: closed.url }).send(sms);
    // undici's TypeError comes from another realm than jest's, so match on shape.
    await expect(failure).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await expect(failure).rejects.not.toBeInstanceOf(GatewayRejectedError);
  });
});

describe('webhook sender to an operator endpoint (Standard Webhooks)', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let connection: WebhookConnection;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  beforeAll(async () => {
    gateway = await startGateway();
    connection = { name: 'hook', operator: 'op-one', secret, replyUrl: `${gateway.url}/sms/replies` };
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    gateway.received.length = 0;
  });

  it('posts a signed sms.reply that verifies with the connection secret', async () => {
    gateway.answer = { status: 204 };
    await new WebhookSmsSender(connection).send(sms);

    const request = onlyRequest(gateway.received);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms/replies');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    const headers = request.headers as Record<string, string>;
    const verified = new Webhook(secret).verify(request.body, headers);
    expect(verified).toEqual({ type: 'sms.reply', to: sms.to, from: sms.from, text: sms.text, coding: 'ucs2' });
  });

  it('produces a signature that a different secret does not verify', async () => {
    gateway.answer = { status: 200 };
    await new WebhookSmsSender(connection).send(sms);

    const request = onlyRequest(gateway.received);
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => new Webhook(otherSecret).verify(request.body, request.headers as Record<string, string>)).toThrow(
      WebhookVerificationError,
    );
  });

  it('does not verify when the body was altered on the way', async () => {
    gateway.answer = { status: 200 };
    await new WebhookSmsSender(connection).send(sms);

    const request = onlyRequest(gateway.received);
    const altered = request.body.replace(sms.to, '+447700900999');
    expect(() => new Webhook(secret).verify(altered, request.headers as Record<string, string>)).toThrow(WebhookVerificationError);
  });

  it('gives each send its own webhook-id', async () => {
    gateway.answer = { status: 200 };
    const sender = new WebhookSmsSender(connection);
    await sender.send(sms);
    await sender.send(sms);
    const [first, second] = gateway.received.map((r) => r.headers['webhook-id']);
    expect(first).not.toBe(second);
  });

  it('throws GatewayRejectedError when the endpoint answers 503', async () => {
    gateway.answer = { status: 503, body: 'maintenance' };
    await expect(new WebhookSmsSender(connection).send(sms)).rejects.toMatchObject({
      name: 'GatewayRejectedError',
      status: 503,
      reason: 'maintenance',
    });
  });

  it('gives up after the timeout when the endpoint does not answer', async () => {
    gateway.answer = { status: 200, hang: true };
    await expect(new WebhookSmsSender(connection, { timeoutMs: 200 }).send(sms)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('takes an answer that came in time though the worker was held up past the timeout before reading it', async () => {
    gateway.answer = { status: 204, stallAfterMs: 400 };
    await expect(new WebhookSmsSender(connection, { timeoutMs: 200 }).send(sms)).resolves.toBeUndefined();
    onlyRequest(gateway.received);
  });

  it('refuses to be built for a connection without a replyUrl', () => {
    const { replyUrl: _unused, ...withoutReplyUrl } = connection;
    expect(() => new WebhookSmsSender(withoutReplyUrl)).toThrow(/no replyUrl/);
  });
});

describe('Kannel sender to a sendsms interface', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let connection: KannelConnection;

  beforeAll(async () => {
    gateway = await startGateway();
    connection = {
      name: 'kannel',
      operator: 'op-one',
      smsc: [],
      sendsmsUrl: `${gateway.url}/cgi-bin/sendsms`,
      user: 'srs',
      password: 'p&ss=word',
      allowFrom: [],
    };
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    gateway.received.length = 0;
  });

  it('GETs sendsms with the credentials, addresses, UTF-8 text and UCS-2 coding', async () => {
    gateway.answer = { status: 202, body: '0: Accepted for delivery' };
    await new KannelSmsSender({ ...connection, smscForReplies: 'smsc-a' }).send(sms);

    const request = onlyRequest(gateway.received);
    expect(request.method).toBe('GET');
    const url = new URL(request.path, gateway.url);
    expect(url.pathname).toBe('/cgi-bin/sendsms');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      username: 'srs',
      password: 'p&ss=word',
      from: sms.from,
      to: sms.to,
      text: sms.text,
      charset: 'UTF-8',
      coding: '2',
      smsc: 'smsc-a',
    });
  });

  it('keeps its connection to Kannel open from one reply to the next', async () => {
    gateway.answer = { status: 202, body: '0: Accepted for delivery' };
    const sender = new KannelSmsSender(connection);
    for (let i = 0; i < 5; i++) await sender.send({ ...sms, coding: 'gsm7' });
    expect(gateway.received.map((r) => r.headers.connection)).toEqual(Array(5).fill('keep-alive'));
    expect(gateway.connections()).toBe(1);
  });

  it('sends again on a fresh connection when Kannel had closed the kept-alive one', async () => {
    gateway.answer = { status: 202, body: '0: Accepted for delivery', dropReused: true };
    const sender = new KannelSmsSender(connection);
    await sender.send({ ...sms, text: 'first' });
    await sender.send({ ...sms, text: 'second' });
    expect(gateway.received.map((r) => new URL(r.path, gateway.url).searchParams.get('text'))).toEqual(['first', 'second']);
  });

  it('throws GatewayRejectedError with what Kannel said when it refuses', async () => {
    gateway.answer = { status: 403, body: 'Authorization failed for sendsms' };
    await expect(new KannelSmsSender(connection).send(sms)).rejects.toMatchObject({
      name: 'GatewayRejectedError',
      status: 403,
      reason: 'Authorization failed for sendsms',
    });
  });

  it('gives up after the timeout when Kannel does not answer, so the queue can retry', async () => {
    gateway.answer = { status: 202, hang: true };
    await expect(new KannelSmsSender(connection, 200).send(sms)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('takes an answer that came in time though the worker was held up past the timeout before reading it', async () => {
    gateway.answer = { status: 202, body: '0: Accepted for delivery', stallAfterMs: 400 };
    await expect(new KannelSmsSender(connection, 200).send(sms)).resolves.toBeUndefined();
    onlyRequest(gateway.received);
  });
});
