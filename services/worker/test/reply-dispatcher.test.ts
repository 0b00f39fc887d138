import { seal } from '@srs/core';
import { Registry } from '@srs/http';
import { createRedis, OutboundSmsQueue, replyId, SentReplies, type OutboundSmsJob, type RedisClient } from '@srs/queue';
import { capturingLogger, eventually, testConfig, uniqueSuffix } from '@srs/testkit';
import { sendSms } from '../src/handlers/send-sms';
import { ReplyDispatcher } from '../src/outbound/reply-dispatcher';
import { SenderRegistry } from '../src/outbound/sender-registry';
import { workerMetrics } from '../src/worker-metrics';
import { startGateway } from './fake-gateway';

describe('replies to subscribers', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let redis: RedisClient;
  let outbound: OutboundSmsQueue;
  let config: ReturnType<typeof testConfig>;
  const { logger } = capturingLogger('replies');

  beforeAll(async () => {
    gateway = await startGateway();
    config = testConfig({
      KANNEL_SENDSMS_URL: `${gateway.url}/cgi-bin/sendsms`,
      KANNEL_TIMEOUT_MS: '300',
      QUEUE_PREFIX: `srs-replies-${uniqueSuffix()}`,
    });
    redis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    outbound = new OutboundSmsQueue({ connection: redis, prefix: config.redis.prefix }, 3);
  });
  afterAll(async () => {
    await outbound.queue.obliterate({ force: true });
    await outbound.close();
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await gateway.close();
  });
  beforeEach(async () => {
    gateway.received.length = 0;
    gateway.answer = { status: 202, body: '0: Accepted for delivery' };
    await outbound.queue.obliterate({ force: true });
  });

  const setUp = (options: { maxDirect?: number; slowMs?: number } = {}) => {
    const metrics = workerMetrics(new Registry());
    const sending = {
      senders: new SenderRegistry(config),
      sent: new SentReplies(redis, config.redis.prefix),
      encryptionKey: config.privacy.msisdnEncryptionKey,
      logger,
    };
    const patienceMs = config.outbound.timeoutMs;
    return {
      sending,
      metrics,
      replies: new ReplyDispatcher({ ...sending, outbound, logger, metrics, maxDirect: 16, patienceMs, ...options }),
    };
  };
  const reply = (text = 'Thank you: report received'): OutboundSmsJob => ({
    v: 2,
    operatorId: 'demo-uk',
    channel: { gateway: 'kannel', connection: config.routing.kannel[0]!.name },
    sealedTo: seal('+447700900123', config.privacy.msisdnEncryptionKey),
    from: '7726',
    text,
    coding: 'gsm7',
    purpose: 'report_complete',
  });
  const count = async (metrics: ReturnType<typeof workerMetrics>, path: string) =>
    (await metrics.replies.get()).values.find((v) => v.labels.path === path)?.value ?? 0;
  const queued = () => outbound.queue.getJobCountByTypes('waiting', 'delayed', 'active');

  it('are handed to the gateway at once, without a queued job', async () => {
    const { replies, metrics } = setUp();
    await replies.dispatch(reply(), `key-${uniqueSuffix()}`);

    expect(gateway.received).toHaveLength(1);
    expect(new URL(gateway.received[0]!.path, gateway.url).searchParams.get('to')).toBe('+447700900123');
    expect(await queued()).toBe(0);
    expect(await count(metrics, 'direct')).toBe(1);
  });

  it('are sent once when the job that decided them runs again', async () => {
    const { replies, metrics } = setUp();
    const key = `key-${uniqueSuffix()}`;
    await replies.dispatch(reply(), key);
    await replies.dispatch(reply(), key);

    expect(gateway.received).toHaveLength(1);
    expect(await count(metrics, 'already_sent')).toBe(1);
  });

  it('are sent once when two runs of the same job reply at the same moment', async () => {
    const { replies, sending } = setUp();
    const key = `key-${uniqueSuffix()}`;
    await Promise.all([replies.dispatch(reply(), key), replies.dispatch(reply(), key)]);

    expect(gateway.received).toHaveLength(1);
    // The run that found it being sent queued it; the queue then finds it sent.
    const [job] = await outbound.queue.getJobs(['waiting']);
    expect(await sendSms(sending, job!.data)).toBe('already_sent');
    expect(gateway.received).toHaveLength(1);
  });

  it("go to the outbound queue when the gateway refuses, and that connection's next ones too, without trying it", async () => {
    const { replies, metrics } = setUp();
    gateway.answer = { status: 503, body: 'Queue full' };
    await replies.dispatch(reply('first'), `key-${uniqueSuffix()}`);
    gateway.answer = { status: 202 };
    await replies.dispatch(reply('second'), `key-${uniqueSuffix()}`);

    expect(gateway.received).toHaveLength(1);
    expect(await queued()).toBe(2);
    expect(await count(metrics, 'queued')).toBe(2);
    const jobs = await outbound.queue.getJobs(['waiting', 'delayed']);
    expect(jobs.map((j) => (j.data as OutboundSmsJob).text).sort()).toEqual(['first', 'second']);
    for (const job of jobs) expect((job.data as OutboundSmsJob).replyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('go to the outbound queue for a while once the gateway is slow to take one', async () => {
    const { replies, metrics } = setUp({ slowMs: 50 });
    gateway.answer = { status: 202, delayMs: 150 };
    await replies.dispatch(reply('slow'), `key-${uniqueSuffix()}`);
    await replies.dispatch(reply('next'), `key-${uniqueSuffix()}`);

    expect(gateway.received).toHaveLength(1);
    expect(await count(metrics, 'direct')).toBe(1);
    expect(await count(metrics, 'queued')).toBe(1);
  });

  it('are sent once when the gateway takes one but answers only after its job stopped waiting', async () => {
    const { replies, sending, metrics } = setUp();
    const key = `key-${uniqueSuffix()}`;
    gateway.answer = { status: 202, body: '0: Accepted for delivery', delayMs: config.outbound.timeoutMs + 400 };
    await replies.dispatch(reply(), key);
    // Back before the gateway answered: the job stopped waiting and queued it.
    expect(await count(metrics, 'direct')).toBe(0);

    // Queued for the gateway's sake, but the request still waits for its answer, and holds the reply.
    const [job] = await outbound.queue.getJobs(['waiting']);
    await expect(sendSms(sending, job!.data)).rejects.toThrow(/being sent/);
    await eventually(
      () => count(metrics, 'direct'),
      (n) => n === 1,
    );
    expect(await sendSms(sending, job!.data)).toBe('already_sent');
    expect(gateway.received).toHaveLength(1);
  });

  it('wait on the gateway a few at a time: beyond that they are queued at once', async () => {
    const { replies } = setUp({ maxDirect: 2 });
    gateway.answer = { status: 202, hang: true };
    let firstTwoDone = false;
    const waiting = Promise.all([
      replies.dispatch(reply('one'), `key-${uniqueSuffix()}`),
      replies.dispatch(reply('two'), `key-${uniqueSuffix()}`),
    ]).then(() => {
      firstTwoDone = true;
    });
    await replies.dispatch(reply('third'), `key-${uniqueSuffix()}`);
    // Queued while the first two still wait on the hanging gateway.
    expect(firstTwoDone).toBe(false);
    await waiting;
    expect(await queued()).toBe(3);
  });

  it('that went out one way are not sent again the other', async () => {
    const { replies, sending } = setUp();
    const key = `key-${uniqueSuffix()}`;
    await replies.dispatch(reply(), key);
    gateway.received.length = 0;

    expect(await sendSms(sending, { ...reply(), replyId: replyId(key) })).toBe('already_sent');
    expect(gateway.received).toHaveLength(0);
    expect(await sendSms(sending, { ...reply(), replyId: replyId(`key-${uniqueSuffix()}`) })).toBe('sent');
    expect(gateway.received).toHaveLength(1);
  });
});
