import { pseudonymise, seal } from '@srs/core';
import { createRedis, JOB_NAMES, QUEUES, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, startSendsmsRecorder, testConfig, testMsisdn, uniqueSuffix, type SendsmsRecorder, type TestDatabase } from '@srs/testkit';
import { Queue } from 'bullmq';
import { startWorkers, type RunningWorkers } from '../src/workers';

describe('jobs queued before the queues had hash tags', () => {
  let db: TestDatabase;
  let gateway: SendsmsRecorder;
  let workerRedis: RedisClient;
  let producerRedis: RedisClient;
  let running: RunningWorkers | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSendsmsRecorder();
  });
  afterAll(async () => {
    await running?.close();
    workerRedis?.disconnect();
    producerRedis?.disconnect();
    await gateway.close();
    await db.drop();
  });

  it('are run after an upgrade: the report is stored and its reply sent', async () => {
    const config = testConfig({ DATABASE_URL: db.url, KANNEL_SENDSMS_URL: gateway.url, WORKER_CONCURRENCY: '4' });
    workerRedis = createRedis(config.redis.url, 'worker');
    producerRedis = createRedis(config.redis.url, 'worker');
    const msisdn = testMsisdn();
    const id = `kannel-${uniqueSuffix()}`;
    const job: ConversationStepJob = {
      v: 2,
      operatorId: 'demo-uk',
      channel: { gateway: 'kannel', connection: 'kannel' },
      gatewayMessageId: id,
      reporter: { pseudonym: pseudonymise(`+${msisdn}`, config.privacy.msisdnHmacKey), sealed: seal(msisdn, config.privacy.msisdnEncryptionKey) },
      shortCode: '7726',
      language: 'en',
      coding: 'gsm7',
      smsc: 'FAKE',
      receivedAt: new Date().toISOString(),
      steps: [{ type: 'open_report', report: { gateway: 'kannel', gatewayMessageId: id }, text: 'Claim your refund at http://refund-now.example/x', reply: true }],
    };
    // As the previous release queued it: the bare prefix, no hash tag.
    const old = new Queue(QUEUES.reports, { connection: producerRedis, prefix: config.redis.prefix });
    await old.add(JOB_NAMES.conversationStep, job, { removeOnComplete: true });

    const { logger, lines } = capturingLogger('worker');
    running = startWorkers({ config, logger, pool: db.pool, workerRedis, producerRedis });

    const stored = await eventually(
      async () => (await db.pool.query('SELECT reference FROM reports WHERE gateway_message_id = $1', [id])).rows,
      (rows) => rows.length > 0,
    );
    expect(stored).toHaveLength(1);
    const replies = await eventually(async () => gateway.received.filter((r) => r.params.to === msisdn), (r) => r.length > 0);
    expect(replies[0]!.params.text).toContain(stored[0].reference);
    // The reply leaves from within the job, so the job may still be finishing as it arrives.
    const left = await eventually(() => old.getJobCounts('waiting', 'active', 'delayed'), (counts) => Object.values(counts).every((n) => n === 0));
    expect(left).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    expect(lines.join('\n')).toMatch(/queued before the queues had hash tags/);
    await old.obliterate({ force: true });
    await old.close();
  });
});
