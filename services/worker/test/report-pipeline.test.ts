import { pseudonymise, seal } from '@srs/core';
import { createRedis, QUEUES, ReportsQueue, type ConversationStepJob, type StepPayload, queueOptions, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  eventually,
  startSendsmsRecorder,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type SendsmsRecorder,
  type TestDatabase,
} from '@srs/testkit';
import { Queue } from 'bullmq';
import { startWorkers, type RunningWorkers } from '../src/workers';

describe('worker: from decided conversation steps to stored reports and replies', () => {
  let db: TestDatabase;
  let gateway: SendsmsRecorder;
  let workerRedis: RedisClient;
  let producerRedis: RedisClient;
  let reportsQueue: ReportsQueue;
  let running: RunningWorkers;
  const { logger, lines } = capturingLogger('worker');
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSendsmsRecorder();
    config = testConfig({ DATABASE_URL: db.url, KANNEL_SENDSMS_URL: gateway.url, WORKER_CONCURRENCY: '4' });
    workerRedis = createRedis(config.redis.url, 'worker');
    producerRedis = createRedis(config.redis.url, 'producer');
    reportsQueue = new ReportsQueue({ connection: producerRedis, prefix: config.redis.prefix }, 3600);
    await reportsQueue.queue.waitUntilReady();
    running = startWorkers({ config, logger, pool: db.pool, workerRedis, producerRedis });
  });

  afterAll(async () => {
    await running.close();
    await reportsQueue.queue.obliterate({ force: true });
    await new Queue(QUEUES.outbound, queueOptions({ connection: producerRedis, prefix: config.redis.prefix }, QUEUES.outbound)).obliterate({
      force: true,
    });
    await reportsQueue.close();
    workerRedis.disconnect();
    producerRedis.disconnect();
    await gateway.close();
    await db.drop();
  });

  function stepJob(
    msisdn: string,
    steps: StepPayload[],
    gatewayMessageId = `kannel-${uniqueSuffix()}`,
    language: ConversationStepJob['language'] = 'en',
  ): ConversationStepJob {
    return {
      v: 2,
      operatorId: 'demo-uk',
      channel: { gateway: 'kannel', connection: 'kannel' },
      gatewayMessageId,
      reporter: {
        pseudonym: pseudonymise(`+${msisdn}`, config.privacy.msisdnHmacKey),
        sealed: seal(msisdn, config.privacy.msisdnEncryptionKey),
      },
      shortCode: '7726',
      language,
      coding: 'gsm7',
      smsc: 'FAKE',
      receivedAt: new Date().toISOString(),
      steps,
    };
  }
  function openReport(msisdn: string, text: string, language: ConversationStepJob['language'] = 'en') {
    const id = `kannel-${uniqueSuffix()}`;
    return stepJob(msisdn, [{ type: 'open_report', report: { gateway: 'kannel', gatewayMessageId: id }, text, reply: true }], id, language);
  }

  const reportsFor = (id: string) => db.pool.query('SELECT * FROM reports WHERE gateway_message_id = $1', [id]).then((r) => r.rows);
  const repliesTo = (msisdn: string) => gateway.received.filter((r) => r.params.to === msisdn);
  const waitForReplies = (msisdn: string, n: number, timeoutMs?: number) =>
    eventually(
      async () => repliesTo(msisdn),
      (r) => r.length >= n,
      timeoutMs,
    );

  it('stores an opened report under a pseudonym and asks for the sender with its reference', async () => {
    const msisdn = testMsisdn();
    const j = openReport(msisdn, 'Your parcel is held. Pay the fee at http://fee.example/x');
    await reportsQueue.addStep(j);
    const rows = await eventually(
      () => reportsFor(j.gatewayMessageId),
      (r) => r.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      operator_id: 'demo-uk',
      gateway: 'kannel',
      channel: 'kannel',
      body: 'Your parcel is held. Pay the fee at http://fee.example/x',
      reporter_pseudonym: j.reporter.pseudonym,
      short_code: '7726',
      awaiting_sender: true,
      language: 'en',
    });
    // The analysis job may already have classified it by the time the row is read.
    expect(['received', 'confirmed_spam']).toContain(rows[0].status);
    expect(rows[0].reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);
    expect(JSON.stringify(rows[0])).not.toContain(msisdn.slice(2));

    const [reply] = await waitForReplies(msisdn, 1);
    expect(reply!.params).toMatchObject({ from: '7726', username: 'srs', password: 'srs-secret', charset: 'UTF-8', coding: '0' });
    expect(reply!.params.text).toContain(rows[0].reference);
    expect(reply!.params.text).toMatch(/number or name/);
    expect(reply!.params.text!.length).toBeLessThanOrEqual(160);
  });

  it('attaches the sender to the open report and confirms with the same reference', async () => {
    const msisdn = testMsisdn();
    const opened = openReport(msisdn, 'Final notice: your toll is unpaid, pay at http://toll.example');
    await reportsQueue.addStep(opened);
    await waitForReplies(msisdn, 1);
    const report = { gateway: 'kannel', gatewayMessageId: opened.gatewayMessageId };
    const sender = { kind: 'msisdn' as const, value: '+447700900555', display: '07700 900555' };
    await reportsQueue.addStep(stepJob(msisdn, [{ type: 'attach_sender', report, sender, reply: true }]));
    const [ask, confirm] = await waitForReplies(msisdn, 2);
    const [row] = await reportsFor(opened.gatewayMessageId);
    expect(row).toMatchObject({ sender_kind: 'msisdn', sender_value: '+447700900555', awaiting_sender: false, completion: 'sender' });
    expect(confirm!.params.text).toContain(row.reference);
    expect(confirm!.params.text).toContain('07700 900555');
    expect(ask!.params.text).toContain(row.reference);
  });

  it('confirms a report once though two messages attach its sender, as an intake deciding on a state it could not save would queue', async () => {
    const msisdn = testMsisdn();
    const opened = openReport(msisdn, 'Your energy refund is ready, claim at http://refund-energy.example');
    await reportsQueue.addStep(opened);
    await waitForReplies(msisdn, 1);
    const report = { gateway: 'kannel', gatewayMessageId: opened.gatewayMessageId };
    const senders = ['07700 900111', '07700 900222'].map((display) => ({
      kind: 'msisdn' as const,
      value: `+44${display.slice(1).replace(' ', '')}`,
      display,
    }));
    await Promise.all(
      senders.map((sender) => reportsQueue.addStep(stepJob(msisdn, [{ type: 'attach_sender', report, sender, reply: true }]))),
    );
    const [, confirm] = await waitForReplies(msisdn, 2);
    await eventually(
      () => reportsQueue.queue.getJobCounts('waiting', 'active', 'delayed'),
      (c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesTo(msisdn)).toHaveLength(2);
    // The one confirmation names the sender the report kept.
    const [row] = await reportsFor(opened.gatewayMessageId);
    expect(confirm!.params.text).toContain(senders.find((s) => s.value === row.sender_value)!.display);
  });

  it('retries a sender that arrives before its report is stored, then attaches it', async () => {
    const msisdn = testMsisdn();
    const opened = openReport(msisdn, 'Bank alert: card blocked, call 08001234567');
    const report = { gateway: 'kannel', gatewayMessageId: opened.gatewayMessageId };
    const sender = { kind: 'alphanumeric' as const, value: 'MYBANK', display: 'MyBank' };
    await reportsQueue.addStep(stepJob(msisdn, [{ type: 'attach_sender', report, sender, reply: true }]));
    await new Promise((r) => setTimeout(r, 300));
    await reportsQueue.addStep(opened);
    await waitForReplies(msisdn, 2, 20_000);
    expect((await reportsFor(opened.gatewayMessageId))[0]).toMatchObject({ sender_value: 'MYBANK', completion: 'sender' });
  });

  it('completes a report without a sender when its window has passed, and not one that got its sender', async () => {
    const waiting = testMsisdn();
    const answered = testMsisdn();
    const a = openReport(waiting, 'You have won a cash prize, claim now at http://prize.example');
    const b = openReport(answered, 'Your account is suspended, log in at http://bank.example.co');
    await reportsQueue.addStep(a);
    await reportsQueue.addStep(b);
    await waitForReplies(waiting, 1);
    await waitForReplies(answered, 1);
    const senderB = { kind: 'short_code' as const, value: '60300', display: '60300' };
    await reportsQueue.addStep(
      stepJob(answered, [
        { type: 'attach_sender', report: { gateway: 'kannel', gatewayMessageId: b.gatewayMessageId }, sender: senderB, reply: true },
      ]),
    );
    await waitForReplies(answered, 2);
    for (const j of [a, b]) {
      await reportsQueue.addTimeout(
        { v: 1, operatorId: 'demo-uk', report: { gateway: 'kannel', gatewayMessageId: j.gatewayMessageId } },
        Date.now() + 200,
      );
    }
    const [rowA] = await eventually(
      () => reportsFor(a.gatewayMessageId),
      (r) => r[0]?.completion === 'no_sender_timeout',
    );
    expect(rowA).toMatchObject({ awaiting_sender: false, completion: 'no_sender_timeout', sender_value: null });
    await new Promise((r) => setTimeout(r, 500));
    expect((await reportsFor(b.gatewayMessageId))[0]).toMatchObject({ completion: 'sender', sender_value: '60300' });
  });

  it('answers STATUS from the stored report, only to the subscriber who made it', async () => {
    const owner = testMsisdn();
    const stranger = testMsisdn();
    const opened = openReport(owner, 'Claim your tax refund at http://refund.example');
    await reportsQueue.addStep(opened);
    await waitForReplies(owner, 1);
    const [row] = await reportsFor(opened.gatewayMessageId);
    await reportsQueue.addStep(stepJob(owner, [{ type: 'status', reference: row.reference }]));
    await reportsQueue.addStep(stepJob(stranger, [{ type: 'status', reference: row.reference }]));
    const [, status] = await waitForReplies(owner, 2);
    const [unknown] = await waitForReplies(stranger, 1);
    expect(status!.params.text).toContain(row.reference);
    expect(status!.params.text).toMatch(/received|confirmed|not spam|blocked/i);
    expect(unknown!.params.text).toMatch(/no report/i);
  });

  it('replies in the job language, with UCS-2 coding where the text needs it', async () => {
    const fr = testMsisdn();
    const zh = testMsisdn();
    await reportsQueue.addStep(openReport(fr, 'Votre colis est en attente, payez sur http://colis.example', 'fr'));
    await reportsQueue.addStep(openReport(zh, '您的包裹被扣留，请点击链接支付 http://fee.example/cn', 'zh'));
    const [frReply] = await waitForReplies(fr, 1);
    const [zhReply] = await waitForReplies(zh, 1);
    expect(frReply!.params.text).toMatch(/^Merci/);
    expect(frReply!.params.coding).toBe('0');
    expect(zhReply!.params.text).toMatch(/^感谢举报/);
    expect(zhReply!.params.coding).toBe('2');
    expect([...zhReply!.params.text!].length).toBeLessThanOrEqual(70);
  });

  it('processes the same gateway message once even when its job runs twice', async () => {
    const msisdn = testMsisdn();
    const j = openReport(msisdn, 'WINNER! Claim your prize now at http://win.example');
    // Bypass the producer's dedup window to simulate a redelivered job reaching the worker.
    const raw = new Queue(QUEUES.reports, queueOptions({ connection: producerRedis, prefix: config.redis.prefix }, QUEUES.reports));
    await raw.add('conversation-step', j);
    await raw.add('conversation-step', j);
    await raw.close();
    await waitForReplies(msisdn, 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await reportsFor(j.gatewayMessageId)).toHaveLength(1);
    expect(repliesTo(msisdn)).toHaveLength(1);
  });

  it('keeps a reply through a gateway outage and delivers it when the gateway is back', async () => {
    const msisdn = testMsisdn();
    gateway.failNext(2);
    const j = openReport(msisdn, 'Your account is locked, verify at http://bank.example.co/login');
    await reportsQueue.addStep(j);
    const replies = await waitForReplies(msisdn, 1, 20_000);
    expect(replies).toHaveLength(1);
    expect(await reportsFor(j.gatewayMessageId)).toHaveLength(1);
  });

  it('leaves no raw number in Redis once the reply is sent', async () => {
    const msisdn = testMsisdn();
    const j = openReport(msisdn, 'Loan approved! reply YES to http://loan.example');
    await reportsQueue.addStep(j);
    await waitForReplies(msisdn, 1);
    // The reply leaves from within its job: wait for the job to finish and go.
    const ofThisMessage = async () =>
      (await reportsQueue.queue.getJobs(['completed', 'waiting', 'active'])).filter(
        (x) => (x.data as ConversationStepJob).gatewayMessageId === j.gatewayMessageId,
      );
    await eventually(ofThisMessage, (left) => left.length === 0);
    const keys = await producerRedis.keys(`${config.redis.prefix}:*`);
    for (const key of keys) {
      const type = await producerRedis.type(key);
      const dump =
        type === 'hash' ? JSON.stringify(await producerRedis.hgetall(key)) : type === 'string' ? await producerRedis.get(key) : '';
      expect(dump ?? '').not.toContain(msisdn.slice(2));
    }
    expect(await ofThisMessage()).toHaveLength(0);
  });

  it('never writes a subscriber number to its log', () => {
    const all = lines.join('\n');
    expect(all).toContain('report updated');
    expect(all).not.toMatch(/7700900\d{3}/);
  });
});
