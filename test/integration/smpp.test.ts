import { createMetricsRegistry, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  deleteRedisPrefix,
  eventually,
  startSendsmsRecorder,
  startSmscFake,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type SendsmsRecorder,
  type SmscFake,
  type SmscSubmit,
  type TestDatabase,
} from '@srs/testkit';
import request from 'supertest';
import { createInboundDeps } from '../../services/intake/src/conversation/inbound-deps';
import { startSmppGateway, type RunningSmppGateway } from '../../services/intake/src/gateways/smpp/smpp-gateway';
import { startIntakeServer } from '../../services/intake/src/server';
import { startWorkers, type RunningWorkers } from '../../services/worker/src/workers';

const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;

/**
 * A subscriber of an operator without Kannel: the SMPP gateway bound to an SMSC
 * (Perl, Debian's Net::SMPP), the intake's Kannel endpoint beside it and the
 * worker, on the real Redis and PostgreSQL. A report made over SMPP is stored
 * and acknowledged by submit_sm, and is the same conversation a Kannel message
 * from the same number continues.
 */
describe('SMPP subscribers, from deliver_sm to the stored report and the submit_sm that answers', () => {
  let db: TestDatabase;
  let smsc: SmscFake;
  let kannel: SendsmsRecorder;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let gateway: RunningSmppGateway;
  let intake: RunningServer;
  let workers: RunningWorkers;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smsc = await startSmscFake();
    kannel = await startSendsmsRecorder();
    config = testConfig({
      DATABASE_URL: db.url,
      OPERATOR_ID: 'demo-uk',
      KANNEL_SENDSMS_URL: kannel.url,
      SMPP_ENABLED: 'true',
      SMPP_PORT: String(smsc.port),
      WORKER_CONCURRENCY: '4',
    });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    const { logger } = capturingLogger('intake');
    intake = await startIntakeServer({ config, logger, pool: db.pool, redis }, 0);
    const inbound = createInboundDeps({ config, logger, redis, metrics: createMetricsRegistry('intake-smpp') });
    gateway = startSmppGateway({ smpp: config.smpp!, inbound, workerRedis, prefix: config.redis.prefix, logger });
    workers = startWorkers({ config, logger: capturingLogger('worker').logger, pool: db.pool, workerRedis, producerRedis: redis });
    await smsc.waitFor((e) => e.event === 'bind' && e.accepted === true);
  });

  afterAll(async () => {
    await workers.close();
    await gateway.close();
    await intake.close(1000);
    await smsc.stop();
    await kannel.close();
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    workerRedis.disconnect();
    await db.drop();
  });

  const submitsTo = (digits: string) =>
    smsc.events.filter((e): e is SmscSubmit => e.event === 'submit_sm' && (e as SmscSubmit).fields.destination_addr === digits);
  const textOf = (submit: SmscSubmit) => {
    const octets = Buffer.from(submit.short_message_hex, 'hex');
    return submit.fields.data_coding === 8 ? Buffer.from(octets).swap16().toString('utf16le') : octets.toString('latin1');
  };
  const reportByReference = (reference: string) =>
    db.pool.query('SELECT * FROM reports WHERE reference = $1', [reference]).then((r) => r.rows[0]);

  it('stores a GSM 7-bit report and answers it with its reference by submit_sm, and a Kannel message continues the conversation', async () => {
    const subscriber = testMsisdn();
    const resp = await smsc.deliver({
      from: subscriber,
      to: '7726',
      dataCoding: 0,
      octets: Buffer.from('Your Netflix payment failed, update at http://netf1ix-billing.example', 'latin1'),
    });
    expect(resp.status).toBe(0);
    const [ask] = await eventually(
      () => submitsTo(subscriber),
      (s) => s.length >= 1,
    );
    expect(ask!.fields).toMatchObject({ data_coding: 0, dest_addr_ton: 1, source_addr: '7726' });
    const reference = REFERENCE.exec(textOf(ask!))![1]!;
    expect(await reportByReference(reference)).toMatchObject({
      operator_id: 'demo-uk',
      gateway: 'smpp',
      channel: 'smpp',
      awaiting_sender: true,
      coding: 'gsm7',
    });

    // The sender comes by Kannel: the same number, so the same conversation and the same report.
    const sender = await request(intake.url)
      .get('/v1/gateways/kannel/mo')
      .query({ from: subscriber, to: '7726', text: 'NETFLIX', id: `k-${uniqueSuffix()}`, coding: '0' });
    expect(sender.status).toBe(202);
    const [confirm] = await eventually(
      () => kannel.received.filter((r) => r.params.to === subscriber),
      (r) => r.length >= 1,
    );
    expect(confirm!.params.text).toContain(reference);
    expect(await reportByReference(reference)).toMatchObject({ sender_value: 'NETFLIX', completion: 'sender' });
  });

  it('stores a UCS-2 report in Chinese and answers in Chinese with data_coding 8', async () => {
    const subscriber = testMsisdn();
    const text = '您的包裹被扣留，请在 http://baoguo-fee.example/cn 支付运费';
    const resp = await smsc.deliver({ from: subscriber, to: '7726', dataCoding: 8, octets: Buffer.from(text, 'utf16le').swap16() });
    expect(resp.status).toBe(0);
    const [ask] = await eventually(
      () => submitsTo(subscriber),
      (s) => s.length >= 1,
    );
    expect(ask!.fields.data_coding).toBe(8);
    const reply = textOf(ask!);
    expect(reply).toMatch(/[\u4e00-\u9fff]/);
    const reference = REFERENCE.exec(reply)![1]!;
    expect(await reportByReference(reference)).toMatchObject({ gateway: 'smpp', language: 'zh', coding: 'ucs2', body: text });
  });
});
