import { canonicalMsisdn, pseudonymise, seal } from '@srs/core';
import { Registry } from '@srs/http';
import { createRedis, dedupId, InboxKeys, InboxWriter, partitionOf, type InboxEntry, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  deleteRedisPrefix,
  eventually,
  readInbox,
  startSendsmsRecorder,
  sumSamples,
  testConfig,
  testMsisdn,
  uniqueSuffix,
  type SendsmsRecorder,
  type TestDatabase,
} from '@srs/testkit';
import { startWorkers, type RunningWorkers } from '../src/workers';

/** A worker as the service runs it, and the intake's one write (the inbox) to feed it with. */
interface Pipeline {
  config: ReturnType<typeof testConfig>;
  running: RunningWorkers;
  producerRedis: RedisClient;
  metrics: Registry;
  /** A subscriber's message, as the intake records it (pseudonym, sealed address, the time it came in). */
  entry(msisdn: string, text: string): InboxEntry;
  /** Records the message in its subscriber's partition of the inbox, as the intake does before answering the gateway. */
  append(entry: InboxEntry): Promise<InboxEntry>;
  /** Whether the message is still waiting in the inbox (not decided, or decided but not committed). */
  waiting(entry: InboxEntry): Promise<boolean>;
  /** Messages decided so far, by what they were taken for. */
  decided(outcome: string): Promise<number>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker: from the inbox to stored reports and replies', () => {
  let db: TestDatabase;
  let gateway: SendsmsRecorder;
  let pipeline: Pipeline;
  const { logger, lines } = capturingLogger('worker');

  async function startPipeline(overrides: Record<string, string> = {}): Promise<Pipeline> {
    const config = testConfig({ DATABASE_URL: db.url, KANNEL_SENDSMS_URL: gateway.url, WORKER_CONCURRENCY: '4', ...overrides });
    const workerRedis = createRedis(config.redis.url, 'worker');
    const producerRedis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => producerRedis.status,
      (s) => s === 'ready',
    );
    const inbox = new InboxWriter(producerRedis, config.redis.prefix, config.inbox.partitions, config.intake.dedupTtlSeconds);
    const metrics = new Registry();
    const running = startWorkers({ config, logger, pool: db.pool, workerRedis, producerRedis, metrics });
    return {
      config,
      running,
      producerRedis,
      metrics,
      entry: (msisdn, text) => {
        const at = Date.now();
        return {
          v: 1,
          operatorId: 'demo-uk',
          channel: { gateway: 'kannel', connection: 'kannel' },
          gatewayMessageId: `kannel-${uniqueSuffix()}`,
          reporter: {
            pseudonym: pseudonymise(canonicalMsisdn(msisdn, config.operator.country), config.privacy.msisdnHmacKey),
            sealed: seal(msisdn, config.privacy.msisdnEncryptionKey),
          },
          shortCode: '7726',
          text,
          coding: 'gsm7',
          smsc: 'FAKE',
          at,
          receivedAt: at,
          replies: true,
        };
      },
      append: async (entry) => {
        const { status } = await inbox.append(entry, dedupId(entry.operatorId, entry.channel.gateway, entry.gatewayMessageId));
        expect(status).toBe('accepted');
        return entry;
      },
      waiting: async (entry) =>
        (await readInbox(producerRedis, config.redis.prefix, config.inbox.partitions)).some(
          (e) => e.gatewayMessageId === entry.gatewayMessageId,
        ),
      decided: async (outcome) => sumSamples(await metrics.metrics(), 'srs_inbox_decided_total', { outcome }),
      close: async () => {
        await running.close();
        await deleteRedisPrefix(producerRedis, config.redis.prefix);
        workerRedis.disconnect();
        producerRedis.disconnect();
      },
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSendsmsRecorder({ beforeAnswer: (sms) => whileReplying?.(sms) });
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.close();
    await gateway.close();
    await db.drop();
  });

  const reportsFor = (id: string) => db.pool.query('SELECT * FROM reports WHERE gateway_message_id = $1', [id]).then((r) => r.rows);
  const repliesTo = (msisdn: string) => gateway.received.filter((r) => r.params.to === msisdn);
  const waitForReplies = (msisdn: string, n: number, timeoutMs?: number) =>
    eventually(
      async () => repliesTo(msisdn),
      (r) => r.length >= n,
      timeoutMs,
    );

  /**
   * As when this worker's lease lapsed (a long pause) and another worker took
   * the partition for `ms`: this worker carries the subscriber's next message
   * out, but its commit is refused, so the message stays in the inbox and the
   * partition's next owner (this worker again, once that lease lapses)
   * decides it again from the state as it was.
   */
  /** Runs while the gateway holds a reply open, before it answers: the worker is then between carrying a message out and committing it. */
  let whileReplying: ((sms: { params: Record<string, string> }) => Promise<void>) | undefined;

  /**
   * Another worker takes the partition of `entry` for `ms` while the first reply to
   * `msisdn` is being sent, that is after the message was carried out and before its
   * commit: the commit is refused, and the message is decided again once the lease lapses.
   */
  function takeLeaseWhileReplying(entry: InboxEntry, msisdn: string, ms = 1500): { taken: Promise<void> } {
    const { config, producerRedis } = pipeline;
    const owner = new InboxKeys(config.redis.prefix, partitionOf(entry.reporter.pseudonym, config.inbox.partitions)).owner;
    let done: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => (done = resolve));
    whileReplying = async (sms) => {
      if (sms.params.to !== msisdn) return;
      whileReplying = undefined;
      await producerRedis.set(owner, 'another-worker', 'PX', ms);
      done();
    };
    return { taken };
  }

  /** Every message appended so far committed: the counts read then are not moved by an earlier test's last commits. */
  const inboxEmpty = () =>
    eventually(
      async () => (await readInbox(pipeline.producerRedis, pipeline.config.redis.prefix, pipeline.config.inbox.partitions)).length,
      (n) => n === 0,
    );

  const leaseLostLines = () => lines.filter((l) => l.includes('"inbox partition lease lost"')).length;

  /**
   * Appends `entry` with the lease taken while its first reply is in flight: the
   * first decision's commit is refused, and only a second decision, once the lease
   * lapsed, takes it out of the inbox. Resolves with how many times it was
   * committed as `outcome` (the count before, read once the inbox was empty, taken off).
   */
  async function decidedTwice(entry: InboxEntry, msisdn: string, outcome: string): Promise<number> {
    await inboxEmpty();
    const before = { decided: await pipeline.decided(outcome), lost: leaseLostLines() };
    const { taken } = takeLeaseWhileReplying(entry, msisdn);
    await pipeline.append(entry);
    await taken;
    await eventually(
      () => leaseLostLines(),
      (n) => n > before.lost,
    );
    expect(
      await eventually(
        () => pipeline.waiting(entry),
        (w) => !w,
        20_000,
      ),
    ).toBe(false);
    await sleep(500);
    return (await pipeline.decided(outcome)) - before.decided;
  }

  it('stores an opened report under a pseudonym and asks for the sender with its reference', async () => {
    const msisdn = testMsisdn();
    const e = await pipeline.append(pipeline.entry(msisdn, 'Your parcel is held. Pay the fee at http://fee.example/x'));
    const rows = await eventually(
      () => reportsFor(e.gatewayMessageId),
      (r) => r.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      operator_id: 'demo-uk',
      gateway: 'kannel',
      channel: 'kannel',
      body: 'Your parcel is held. Pay the fee at http://fee.example/x',
      reporter_pseudonym: e.reporter.pseudonym,
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
    const opened = await pipeline.append(pipeline.entry(msisdn, 'Final notice: your toll is unpaid, pay at http://toll.example'));
    await waitForReplies(msisdn, 1);
    await pipeline.append(pipeline.entry(msisdn, '07700 900555'));
    const [ask, confirm] = await waitForReplies(msisdn, 2);
    const [row] = await reportsFor(opened.gatewayMessageId);
    expect(row).toMatchObject({ sender_kind: 'msisdn', sender_value: '+447700900555', awaiting_sender: false, completion: 'sender' });
    expect(confirm!.params.text).toContain(row.reference);
    expect(confirm!.params.text).toContain('07700 900555');
    expect(ask!.params.text).toContain(row.reference);
  });

  // Replaces "a sender that arrives before its report is stored is retried": steps no longer travel as
  // separate jobs that may run out of order. One subscriber's messages are decided in the order they came in.
  it('decides a text and its sender appended back to back in order, the sender attached to that report', async () => {
    const subscribers = Array.from({ length: 5 }, (_, i) => ({
      msisdn: testMsisdn(),
      sender: `07700 90${String(i + 1).padStart(4, '0')}`,
    }));
    // Each subscriber's text then sender, with no wait between; the subscribers interleaved.
    const texts = await Promise.all(
      subscribers.map(async ({ msisdn, sender }, i) => {
        const text = await pipeline.append(pipeline.entry(msisdn, `Bank alert ${i}: your card is blocked, call 08001234567 now`));
        await pipeline.append(pipeline.entry(msisdn, sender));
        return text;
      }),
    );
    for (const [i, { msisdn, sender }] of subscribers.entries()) {
      const [ask, confirm] = await waitForReplies(msisdn, 2, 20_000);
      const rows = await reportsFor(texts[i]!.gatewayMessageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        sender_value: `+44${sender.slice(1).replace(' ', '')}`,
        awaiting_sender: false,
        completion: 'sender',
      });
      // Asked for the sender first, then confirmed with it: the report was opened before the sender was decided.
      expect(ask!.params.text).toMatch(/number or name/);
      expect(ask!.params.text).toContain(rows[0].reference);
      expect(confirm!.params.text).toContain(rows[0].reference);
      expect(confirm!.params.text).toContain(sender);
    }
    await sleep(300);
    for (const { msisdn } of subscribers) expect(repliesTo(msisdn)).toHaveLength(2);
  });

  it('confirms a report once though its sender is decided twice (carried out, then the commit refused)', async () => {
    const msisdn = testMsisdn();
    const opened = await pipeline.append(pipeline.entry(msisdn, 'Your energy refund is ready, claim at http://refund-energy.example'));
    await waitForReplies(msisdn, 1);
    const sender = pipeline.entry(msisdn, '07700 900111');
    // Committed once, confirmed once, attached once.
    expect(await decidedTwice(sender, msisdn, 'sender_attached')).toBe(1);
    expect(repliesTo(msisdn)).toHaveLength(2);
    const [row] = await reportsFor(opened.gatewayMessageId);
    expect(row).toMatchObject({ sender_value: '+447700900111', completion: 'sender' });
    const confirm = repliesTo(msisdn)[1]!.params.text;
    expect(confirm).toContain(row.reference);
    expect(confirm).toContain('07700 900111');
  });

  it('answers STATUS from the stored report, only to the subscriber who made it', async () => {
    const owner = testMsisdn();
    const stranger = testMsisdn();
    const opened = await pipeline.append(pipeline.entry(owner, 'Claim your tax refund at http://refund.example'));
    await waitForReplies(owner, 1);
    const [row] = await reportsFor(opened.gatewayMessageId);
    await pipeline.append(pipeline.entry(owner, `STATUS ${row.reference}`));
    await pipeline.append(pipeline.entry(stranger, `STATUS ${row.reference}`));
    const [, status] = await waitForReplies(owner, 2);
    const [unknown] = await waitForReplies(stranger, 1);
    expect(status!.params.text).toContain(row.reference);
    expect(status!.params.text).toMatch(/received|confirmed|not spam|blocked/i);
    expect(unknown!.params.text).toMatch(/no report/i);
  });

  it("replies in the subscriber's language, with UCS-2 coding where the text needs it", async () => {
    const fr = testMsisdn();
    const zh = testMsisdn();
    const frText = await pipeline.append(pipeline.entry(fr, 'Votre colis est en attente, payez sur http://colis.example'));
    const zhText = await pipeline.append(pipeline.entry(zh, '您的包裹被扣留，请点击链接支付 http://fee.example/cn'));
    const [frReply] = await waitForReplies(fr, 1);
    const [zhReply] = await waitForReplies(zh, 1);
    expect(frReply!.params.text).toMatch(/^Merci/);
    expect(frReply!.params.coding).toBe('0');
    expect(zhReply!.params.text).toMatch(/^感谢举报/);
    expect(zhReply!.params.coding).toBe('2');
    expect([...zhReply!.params.text!].length).toBeLessThanOrEqual(70);
    expect((await reportsFor(frText.gatewayMessageId))[0]).toMatchObject({ language: 'fr' });
    expect((await reportsFor(zhText.gatewayMessageId))[0]).toMatchObject({ language: 'zh' });
  });

  it('processes the same gateway message once even when it is decided twice', async () => {
    const msisdn = testMsisdn();
    const e = pipeline.entry(msisdn, 'WINNER! Claim your prize now at http://win.example');
    expect(await decidedTwice(e, msisdn, 'report_opened')).toBe(1);
    expect(await reportsFor(e.gatewayMessageId)).toHaveLength(1);
    expect(repliesTo(msisdn)).toHaveLength(1);
  });

  it('keeps a reply through a gateway outage and delivers it when the gateway is back', async () => {
    const msisdn = testMsisdn();
    gateway.failNext(2);
    const e = await pipeline.append(pipeline.entry(msisdn, 'Your account is locked, verify at http://bank.example.co/login'));
    const replies = await waitForReplies(msisdn, 1, 20_000);
    expect(replies).toHaveLength(1);
    expect(await reportsFor(e.gatewayMessageId)).toHaveLength(1);
  });

  it('leaves no raw number in Redis once the reply is sent', async () => {
    const { producerRedis, config } = pipeline;
    const msisdn = testMsisdn();
    const e = await pipeline.append(pipeline.entry(msisdn, 'Loan approved! reply YES to http://loan.example'));
    await waitForReplies(msisdn, 1);
    // The reply leaves while the message is carried out: wait for its decision to be committed too.
    await eventually(
      () => pipeline.waiting(e),
      (w) => !w,
    );
    const keys = await producerRedis.keys(`${config.redis.prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await producerRedis.type(key);
      const dump =
        type === 'hash'
          ? JSON.stringify(await producerRedis.hgetall(key))
          : type === 'string'
            ? await producerRedis.get(key)
            : type === 'stream'
              ? JSON.stringify(await producerRedis.xrange(key, '-', '+'))
              : type === 'zset'
                ? JSON.stringify(await producerRedis.zrange(key, 0, -1, 'WITHSCORES'))
                : type === 'list'
                  ? JSON.stringify(await producerRedis.lrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await producerRedis.smembers(key))
                    : '';
      expect(dump ?? '').not.toContain(msisdn.slice(2));
    }
    expect(await pipeline.waiting(e)).toBe(false);
  });

  describe('when a sender window closes', () => {
    let short: Pipeline;
    const WINDOW_MS = 3000;

    beforeAll(async () => {
      short = await startPipeline({ CONVERSATION_SENDER_WINDOW_SECONDS: String(WINDOW_MS / 1000) });
    });
    afterAll(async () => {
      await short.close();
    });

    const openWindows = async () => {
      const members: string[] = [];
      for (let p = 0; p < short.config.inbox.partitions; p++) {
        members.push(...(await short.producerRedis.zrange(new InboxKeys(short.config.redis.prefix, p).timers, 0, -1)));
      }
      return members;
    };

    it('completes a report without a sender when its window has passed, and not one that got its sender', async () => {
      const waiting = testMsisdn();
      const answered = testMsisdn();
      const a = await short.append(short.entry(waiting, 'You have won a cash prize, claim now at http://prize.example'));
      const b = await short.append(short.entry(answered, 'Your account is suspended, log in at http://bank.example.co'));
      const senderB = await short.append(short.entry(answered, '60300'));
      await waitForReplies(waiting, 1);
      await waitForReplies(answered, 2);
      // A reply leaves while its message is carried out; the windows are opened and closed when it is committed.
      await eventually(
        async () => (await Promise.all([a, b, senderB].map((e) => short.waiting(e)))).some(Boolean),
        (waitingStill) => !waitingStill,
      );
      // Within the window: the report still waits, and only its window is open.
      expect((await reportsFor(a.gatewayMessageId))[0]).toMatchObject({ awaiting_sender: true, completion: null });
      const windows = await openWindows();
      expect(windows).toHaveLength(1);
      expect(windows[0]).toContain(a.gatewayMessageId);

      const [rowA] = await eventually(
        () => reportsFor(a.gatewayMessageId),
        (r) => r[0]?.completion === 'no_sender_timeout',
        20_000,
      );
      // Swept by the partition's owner once the window had closed, not before.
      expect(Date.now() - a.at).toBeGreaterThanOrEqual(WINDOW_MS);
      expect(rowA).toMatchObject({ awaiting_sender: false, completion: 'no_sender_timeout', sender_value: null });
      await sleep(500);
      expect((await reportsFor(b.gatewayMessageId))[0]).toMatchObject({ completion: 'sender', sender_value: '60300' });
      expect(await openWindows()).toEqual([]);
    });
  });

  it('never writes a subscriber number to its log', () => {
    const all = lines.join('\n');
    expect(all).toContain('report updated');
    expect(all).not.toMatch(/7700900\d{3}/);
  });
});
