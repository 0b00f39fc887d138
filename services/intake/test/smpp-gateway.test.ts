import { canonicalMsisdn, pseudonymise, unseal } from '@srs/core';
import { createMetricsRegistry } from '@srs/http';
import { createRedis, SmppSubmitQueue, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  deleteRedisPrefix,
  eventually,
  startSmscFake,
  testConfig,
  testMsisdn,
  type SmscFake,
  type SmscSubmit,
} from '@srs/testkit';
import { seal } from '@srs/core';
import { createInboundDeps } from '../src/conversation/inbound-deps';
import { startSmppGateway, type RunningSmppGateway } from '../src/gateways/smpp/smpp-gateway';
import { decideFirst, recorded } from './inbox';

const WINDOW = 2;

/**
 * The SMPP gateway bound to a real SMSC (Perl, Debian's Net::SMPP, as the
 * SMSC side): what it acknowledges, where the messages go, what it sends, and
 * how it keeps the link.
 */
describe('SMPP gateway against an SMSC on Net::SMPP', () => {
  let smsc: SmscFake;
  let config: ReturnType<typeof testConfig>;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let submits: SmppSubmitQueue;
  let gateway: RunningSmppGateway;
  const { logger, lines } = capturingLogger('intake-smpp');

  beforeAll(async () => {
    smsc = await startSmscFake();
    config = testConfig({
      SMPP_ENABLED: 'true',
      SMPP_PORT: String(smsc.port),
      SMPP_WINDOW: String(WINDOW),
      SMPP_THROUGHPUT: '100',
      SMPP_ENQUIRE_LINK_MS: '300',
      SMPP_RECONNECT_MIN_MS: '100',
      SMPP_RECONNECT_MAX_MS: '400',
    });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    submits = new SmppSubmitQueue({ connection: redis, prefix: config.redis.prefix }, 3);
    await submits.queue.waitUntilReady();
    const inbound = createInboundDeps({ config, logger, redis, metrics: createMetricsRegistry('intake-smpp') });
    gateway = startSmppGateway({ smpp: config.smpp!, inbound, workerRedis, prefix: config.redis.prefix, logger });
    await smsc.waitFor((e) => e.event === 'bind' && e.accepted === true);
  });

  afterAll(async () => {
    await gateway.close();
    await smsc.stop();
    await submits.close();
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    workerRedis.disconnect();
  });

  /** The messages recorded in the inbox for a subscriber (no worker runs here, so every one stays there). */
  async function recordedFor(pseudonym: string) {
    return (await recorded(redis, config)).filter((e) => e.reporter.pseudonym === pseudonym);
  }
  const international = () => testMsisdn();
  const pseudonymOf = (digits: string) => pseudonymise(canonicalMsisdn(`+${digits}`, 'GB'), config.privacy.msisdnHmacKey);

  it('binds as a transceiver with the configured system_id and password', () => {
    expect(smsc.events.find((e) => e.event === 'bind')).toMatchObject({
      command: 'bind_transceiver',
      system_id: 'srs',
      password: 'srs-smpp',
      accepted: true,
    });
  });

  it('acknowledges a GSM 7-bit deliver_sm only once it is recorded, in the conversation the Kannel path keys', async () => {
    const from = international();
    const text = 'URGENT your parcel is held, pay the £1.99 fee at http://fee.example/x';
    // SMPP carries GSM 03.38 one septet per octet: "£" is 0x01.
    const octets = Buffer.from(text.replace('£', '\u0001'), 'latin1');
    const resp = await smsc.deliver({ from, to: '7726', dataCoding: 0, octets });
    expect(resp.status).toBe(0);
    // Nothing to wait for: the answer came after the message was in the inbox.
    const entries = await recordedFor(pseudonymOf(from));
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      channel: { gateway: 'smpp', connection: 'smpp' },
      operatorId: config.operator.id,
      shortCode: '7726',
      text,
      coding: 'gsm7',
      replies: true,
    });
    // The same pseudonym as Kannel's `from=<digits>`: one subscriber, one conversation, whichever gateway.
    expect(entry!.reporter.pseudonym).toBe(pseudonymise(canonicalMsisdn(from, 'GB'), config.privacy.msisdnHmacKey));
    expect(unseal(entry!.reporter.sealed!, config.privacy.msisdnEncryptionKey)).toBe(`+${from}`);
    expect(JSON.stringify(entry)).not.toContain(from.slice(2));
    expect(lines.join('\n')).not.toContain(from.slice(2));
    // What the worker makes of it: a report opened, waiting for its sender.
    expect(decideFirst(entry!, config).steps.map((s) => s.type)).toEqual(['open_report', 'schedule_timeout']);
  });

  it('reads a UCS-2 deliver_sm (Chinese) and answers the subscriber in Chinese', async () => {
    const from = international();
    const text = '您的包裹被扣留，请在 http://fee.example/cn 支付费用';
    const resp = await smsc.deliver({ from, to: '7726', dataCoding: 8, octets: Buffer.from(text, 'utf16le').swap16() });
    expect(resp.status).toBe(0);
    const [entry] = await recordedFor(pseudonymOf(from));
    expect(entry).toMatchObject({ coding: 'ucs2', text });
    expect(decideFirst(entry!, config).language).toBe('zh');
  });

  /** 3GPP TS 23.040 concatenation header: IEI 0x00 (8-bit reference) or 0x08 (16-bit). */
  const udh8 = (reference: number, total: number, seq: number) => Buffer.from([0x05, 0x00, 0x03, reference, total, seq]);
  const udh16 = (reference: number, total: number, seq: number) =>
    Buffer.from([0x06, 0x08, 0x04, reference >> 8, reference & 0xff, total, seq]);

  it('hands a 3-part GSM message (UDH, 8-bit reference) delivered out of order on as one message, once the last part is in', async () => {
    const from = international();
    const text = (
      'URGENT: your bank account has been suspended due to unusual activity. To restore access verify your identity within 24 hours ' +
      'at http://secure-bank-verify.example/login or your card will be blocked permanently. Reply STOP to opt out. ' +
      'Ref 88412. This is an automated message from the fraud team, do not ignore it.'
    ).padEnd(300, '.');
    const three = [text.slice(0, 100), text.slice(100, 200), text.slice(200)];
    const send = (seq: number) =>
      smsc.deliver({
        from,
        to: '7726',
        dataCoding: 0,
        esmClass: 0x40,
        octets: Buffer.concat([udh8(0x2a, 3, seq), Buffer.from(three[seq - 1]!, 'latin1')]),
      });
    expect((await send(3)).status).toBe(0);
    expect((await send(1)).status).toBe(0);
    expect(await recordedFor(pseudonymOf(from))).toHaveLength(0);
    expect((await send(2)).status).toBe(0);
    const entries = await recordedFor(pseudonymOf(from));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ text, coding: 'gsm7' });
    expect(decideFirst(entries[0]!, config).steps[0]).toMatchObject({ type: 'open_report', text });
  });

  it('hands a 2-part UCS-2 message (sar_ TLVs) on whole, a surrogate pair split between the parts joined again', async () => {
    const from = international();
    const head =
      '【通知】您的快递包裹因地址不详无法派送，已被退回仓库。请于二十四小时内点击链接更新收件地址并支付二元重新派送费用，否则包裹将被销毁。';
    const text = `${head.slice(0, 66)}😀${'请访问 http://kuaidi-update.example/cn 更新地址，客服热线请勿回复本短信。谢谢合作！祝您生活愉快，万事如意。'.slice(0, 52)}`;
    expect(text.length).toBe(120);
    const octets = Buffer.from(text, 'utf16le').swap16();
    // 67 units: the 66 Chinese characters and the high half of the emoji; its low half opens the second part.
    const halves = [octets.subarray(0, 134), octets.subarray(134)];
    for (const [i, half] of halves.entries()) {
      const resp = await smsc.deliver({ from, to: '7726', dataCoding: 8, octets: half, sar: { reference: 0x1234, total: 2, seq: i + 1 } });
      expect(resp.status).toBe(0);
    }
    const entries = await recordedFor(pseudonymOf(from));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ coding: 'ucs2', text });
    expect(decideFirst(entries[0]!, config).language).toBe('zh');
  });

  it('hands a message on once when the SMSC delivers one of its parts again, before or after the set is whole', async () => {
    const from = international();
    const parts = ['Your parcel could not be delivered. ', 'Pay the fee at http://parcel-fee.example/r now'];
    const send = (seq: number) =>
      smsc.deliver({
        from,
        to: '7726',
        dataCoding: 0,
        esmClass: 0x40,
        octets: Buffer.concat([udh16(0xbeef, 2, seq), Buffer.from(parts[seq - 1]!, 'latin1')]),
      });
    expect((await send(1)).status).toBe(0);
    expect((await send(1)).status).toBe(0);
    expect((await send(2)).status).toBe(0);
    expect((await send(2)).status).toBe(0);
    const entries = await recordedFor(pseudonymOf(from));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.text).toBe(parts.join(''));
    const keys = await redis.keys(`${config.redis.prefix}:smpp:concat:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(from.slice(2));
  });

  it('sends a reply as submit_sm to the subscriber: UCS-2 (data_coding 8) when the text needs it, GSM 7-bit (0) otherwise', async () => {
    const to = `+${international()}`;
    const from = smsc.events.length;
    await submits.add(
      {
        v: 1,
        operatorId: config.operator.id,
        connection: 'smpp',
        sealedTo: seal(to, config.privacy.msisdnEncryptionKey),
        text: '谢谢您的举报',
        coding: 'ucs2',
      },
      `reply-ucs2-${to}`,
    );
    await submits.add(
      {
        v: 1,
        operatorId: config.operator.id,
        connection: 'smpp',
        sealedTo: seal(to, config.privacy.msisdnEncryptionKey),
        text: 'Thanks {ref} £5',
        coding: 'gsm7',
      },
      `reply-gsm-${to}`,
    );
    await smsc.waitFor((e) => e.event === 'submit_sm' && (e as SmscSubmit).fields.data_coding === 0, from);
    const sent = smsc.events.slice(from).filter((e): e is SmscSubmit => e.event === 'submit_sm');
    const ucs2 = sent.find((s) => s.fields.data_coding === 8)!;
    expect(ucs2.fields).toMatchObject({ destination_addr: to.slice(1), dest_addr_ton: 1, dest_addr_npi: 1, source_addr: '7726' });
    expect(Buffer.from(ucs2.short_message_hex, 'hex').swap16().toString('utf16le')).toBe('谢谢您的举报');
    const gsm = sent.find((s) => s.fields.data_coding === 0)!;
    // GSM 03.38: "{" and "}" are escaped (0x1B 0x28, 0x1B 0x29), "£" is 0x01.
    expect(gsm.short_message_hex).toBe(Buffer.from('Thanks \u001b(ref\u001b) \u00015', 'latin1').toString('hex'));
  });

  it('keeps the link alive with enquire_link and answers the SMSC’s own', async () => {
    const from = smsc.events.length;
    await smsc.waitFor((e) => e.event === 'enquire_link', from);
    smsc.command('enquire');
    await smsc.waitFor((e) => e.event === 'enquire_link_resp', from);
  });

  it('never has more than the window of submit_sm unanswered', async () => {
    const from = smsc.events.length;
    smsc.command('hold');
    const to = `+${international()}`;
    for (let i = 0; i < 5; i++) {
      await submits.add(
        {
          v: 1,
          operatorId: config.operator.id,
          connection: 'smpp',
          sealedTo: seal(to, config.privacy.msisdnEncryptionKey),
          text: `reply ${i}`,
          coding: 'gsm7',
        },
        `window-${to}-${i}`,
      );
    }
    await smsc.waitFor((e) => e.event === 'submit_sm' && e.outstanding === WINDOW, from);
    expect(gateway.link.outstanding).toBe(WINDOW);
    smsc.command('release');
    await eventually(
      () => smsc.events.slice(from).filter((e) => e.event === 'submit_sm').length,
      (n) => n === 5,
    );
    const submitted = smsc.events.slice(from).filter((e): e is SmscSubmit => e.event === 'submit_sm');
    expect(submitted).toHaveLength(5);
    expect(Math.max(...submitted.map((s) => s.outstanding))).toBe(WINDOW);
  });

  it('binds again after the SMSC drops the link, waiting longer after each refused bind, and takes MOs again', async () => {
    const from = smsc.events.length;
    const logFrom = lines.length;
    smsc.command('refuse 3');
    smsc.command('drop');
    await smsc.waitFor((e) => e.event === 'closed', from);
    await smsc.waitFor((e) => e.event === 'bind' && e.accepted === true, from);
    expect(
      smsc.events
        .slice(from)
        .filter((e) => e.event === 'bind')
        .map((e) => e.accepted),
    ).toEqual([false, false, false, true]);
    const waits = lines
      .slice(logFrom)
      .map((l) => JSON.parse(l) as { msg: string; retryInMs?: number })
      .filter((l) => l.msg.startsWith('SMPP link down'))
      .map((l) => l.retryInMs);
    expect(waits).toEqual([100, 200, 400, 400]);
    await eventually(
      () => gateway.link.isBound,
      (bound) => bound,
    );

    const subscriber = international();
    const resp = await smsc.deliver({
      from: subscriber,
      to: '7726',
      dataCoding: 0,
      octets: Buffer.from('WIN a prize at http://prize.example now', 'latin1'),
    });
    expect(resp.status).toBe(0);
    expect(await recordedFor(pseudonymOf(subscriber))).toHaveLength(1);
  });
});

describe('SMPP gateway while Redis is unreachable', () => {
  let smsc: SmscFake;
  let unreachable: RedisClient;
  let workerRedis: RedisClient;
  let gateway: RunningSmppGateway;

  beforeAll(async () => {
    smsc = await startSmscFake();
    const config = testConfig({ SMPP_ENABLED: 'true', SMPP_PORT: String(smsc.port), SMPP_RECONNECT_MIN_MS: '100' });
    // Nothing listens on port 1: the queue is down from the start.
    unreachable = createRedis('redis://127.0.0.1:1', 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    const { logger } = capturingLogger('intake-smpp');
    const inbound = createInboundDeps({ config, logger, redis: unreachable, metrics: createMetricsRegistry('intake-smpp') });
    gateway = startSmppGateway({ smpp: config.smpp!, inbound, workerRedis, prefix: config.redis.prefix, logger });
    await smsc.waitFor((e) => e.event === 'bind' && e.accepted === true);
  });

  afterAll(async () => {
    await gateway.close();
    await smsc.stop();
    unreachable.disconnect();
    workerRedis.disconnect();
  });

  it('answers deliver_sm with a temporary error (ESME_RX_T_APPNACK), so the SMSC keeps the message and delivers it again', async () => {
    const from = smsc.events.length;
    const resp = await smsc.deliver({
      from: testMsisdn(),
      to: '7726',
      dataCoding: 0,
      octets: Buffer.from('Your account is locked', 'latin1'),
    });
    expect(resp.status).toBe(0x64);
    expect(smsc.events.slice(from).filter((e) => e.event === 'deliver_sm_resp')).toHaveLength(1);
  });
});

describe('SMPP gateway bound as a receiver and a transmitter (SMPP_BIND_MODE=receiver_transmitter)', () => {
  let smsc: SmscFake;
  let config: ReturnType<typeof testConfig>;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let submits: SmppSubmitQueue;
  let gateway: RunningSmppGateway;

  beforeAll(async () => {
    smsc = await startSmscFake();
    config = testConfig({
      SMPP_ENABLED: 'true',
      SMPP_PORT: String(smsc.port),
      SMPP_BIND_MODE: 'receiver_transmitter',
      SMPP_ENQUIRE_LINK_MS: '300',
      SMPP_RECONNECT_MIN_MS: '100',
    });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    submits = new SmppSubmitQueue({ connection: redis, prefix: config.redis.prefix }, 3);
    await submits.queue.waitUntilReady();
    const { logger } = capturingLogger('intake-smpp');
    const inbound = createInboundDeps({ config, logger, redis, metrics: createMetricsRegistry('intake-smpp') });
    gateway = startSmppGateway({ smpp: config.smpp!, inbound, workerRedis, prefix: config.redis.prefix, logger });
    await eventually(
      () => gateway.isBound,
      (bound) => bound,
    );
  });

  afterAll(async () => {
    await gateway.close();
    await smsc.stop();
    await submits.close();
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    workerRedis.disconnect();
  });

  it('binds two sessions, takes an MO over the receiver and sends the reply over the transmitter, each session kept alive', async () => {
    const binds = smsc.events.filter((e) => e.event === 'bind' && e.accepted === true).map((e) => e.command);
    expect(binds.sort()).toEqual(['bind_receiver', 'bind_transmitter']);
    expect(gateway.links.map((l) => l.role)).toEqual(['receiver', 'transmitter']);

    const subscriber = testMsisdn();
    const from = smsc.events.length;
    const resp = await smsc.deliver({
      from: subscriber,
      to: '7726',
      dataCoding: 0,
      octets: Buffer.from('Claim your prize at http://prize.example', 'latin1'),
    });
    expect(resp.status).toBe(0);
    expect(smsc.events.slice(from).find((e) => e.event === 'deliver_sm')).toMatchObject({ via: 'bind_receiver' });
    const pseudonym = pseudonymise(canonicalMsisdn(`+${subscriber}`, 'GB'), config.privacy.msisdnHmacKey);
    const entry = (await recorded(redis, config)).find((e) => e.reporter.pseudonym === pseudonym)!;
    expect(entry).toMatchObject({ channel: { gateway: 'smpp', connection: 'smpp' }, text: 'Claim your prize at http://prize.example' });

    await submits.add(
      {
        v: 1,
        operatorId: config.operator.id,
        connection: 'smpp',
        sealedTo: entry.reporter.sealed!,
        text: 'Thanks for your report',
        coding: 'gsm7',
      },
      `reply-${subscriber}`,
    );
    const submitted = (await smsc.waitFor((e) => e.event === 'submit_sm', from)) as SmscSubmit;
    expect(submitted.via).toBe('bind_transmitter');
    expect(submitted.fields.destination_addr).toBe(subscriber);
    await smsc.waitFor((e) => e.event === 'enquire_link' && e.via === 'bind_receiver', from);
    await smsc.waitFor((e) => e.event === 'enquire_link' && e.via === 'bind_transmitter', from);
  });
});
