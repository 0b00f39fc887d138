import { pseudonymise } from '@srs/core';
import { createLogger } from '@srs/logging';
import { createRedis, InboxPartition, InboxWriter, partitionOf, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { deleteRedisPrefix, eventually, testConfig, testInboxEntry, uniqueSuffix } from '@srs/testkit';
import { decideBatch } from '../src/inbox/decide-batch';
import { PartitionLoop } from '../src/inbox/partition-loop';

/**
 * One partition's loop against the real Redis, with the steps carried out by
 * a recorder that can be made to fail: what a subscriber's failure holds back,
 * and what it does not.
 */
describe('the loop of one inbox partition', () => {
  // One partition: every subscriber shares it, as the worst case of many in one.
  const config = testConfig({ INBOX_PARTITIONS: '1', RATE_LIMIT_REPORTER_PER_MINUTE: '1000', RATE_LIMIT_REPORTER_PER_DAY: '100000' });
  const logger = createLogger({ name: 'test', level: 'silent' });
  let redis: RedisClient;
  let reader: RedisClient;
  let writer: InboxWriter;
  let partition: InboxPartition;
  const token = `owner-${uniqueSuffix()}`;
  const running: PartitionLoop[] = [];

  beforeAll(async () => {
    redis = createRedis(config.redis.url, 'worker');
    reader = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    writer = new InboxWriter(redis, config.redis.prefix, 1, 3600);
    partition = new InboxPartition(redis, config.redis.prefix, 0, 86_400_000);
    expect(await partition.acquire(token, 60_000)).toBe(true);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((loop) => loop.stop()));
  });

  afterAll(async () => {
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    reader.disconnect();
  });

  const subscriber = (name: string) => pseudonymise(`+4477009${name}`, config.privacy.msisdnHmacKey);

  async function append(pseudonym: string, id: string, text = 'HELP'): Promise<void> {
    const entry = testInboxEntry(pseudonym, id, { text });
    expect(partitionOf(pseudonym, 1)).toBe(0);
    expect((await writer.append(entry, `${id}-${uniqueSuffix()}`)).status).toBe('accepted');
  }

  /** Starts the loop; `carryOut` stands in for storing reports and sending replies. */
  function start(carryOut: (job: ConversationStepJob) => Promise<void>, batchSize = 200): PartitionLoop {
    const loop = new PartitionLoop({
      partition,
      reader,
      token,
      logger,
      batchSize,
      decide: (records, skip) => decideBatch({ config, carryOut, concurrency: 4 }, partition, records, skip),
      timeout: async () => undefined,
      onLost: () => undefined,
    });
    running.push(loop);
    loop.start();
    return loop;
  }

  const waiting = async () => (await partition.depth()).waiting;

  it("decides each subscriber's messages in the order they came", async () => {
    const a = subscriber('10001');
    const b = subscriber('10002');
    for (let i = 0; i < 20; i++) {
      await append(a, `order-a-${i}`);
      await append(b, `order-b-${i}`);
    }
    const seen: string[] = [];
    start(async (job) => {
      seen.push(job.gatewayMessageId);
    });
    await eventually(
      () => seen.length,
      (n) => n === 40,
    );
    const ofA = seen.filter((id) => id.startsWith('order-a-'));
    expect(ofA).toEqual(Array.from({ length: 20 }, (_, i) => `order-a-${i}`));
    expect(await waiting()).toBe(0);
  });

  it('holds back only the subscriber whose message fails, and decides their later messages after it once it succeeds', async () => {
    const failing = subscriber('20001');
    const healthy = subscriber('20002');
    await append(failing, 'hold-1');
    await append(failing, 'hold-2');
    await append(healthy, 'free-1');
    let failuresLeft = 2;
    const done: string[] = [];
    start(async (job) => {
      if (job.gatewayMessageId === 'hold-1' && failuresLeft-- > 0) throw new Error('PostgreSQL away');
      done.push(job.gatewayMessageId);
    });
    await eventually(
      () => [...done],
      (d) => d.includes('free-1'),
    );
    // The healthy subscriber was not held up by the one failing.
    expect(done.indexOf('free-1')).toBeLessThan(done.indexOf('hold-1') === -1 ? Infinity : done.indexOf('hold-1'));
    await eventually(
      () => [...done],
      (d) => d.includes('hold-2'),
      15_000,
    );
    expect(done.filter((id) => id.startsWith('hold-'))).toEqual(['hold-1', 'hold-2']);
    expect(await waiting()).toBe(0);
  }, 20_000);

  it('reaches a held-back subscriber whose retry is due behind a backlog of another still held back, without reading the head over and over', async () => {
    const stuck = subscriber('30001');
    const due = subscriber('30002');
    let reads = 0;
    const originalRead = partition.read.bind(partition);
    partition.read = async (...args) => {
      reads++;
      return originalRead(...args);
    };
    try {
      // 30 messages of a subscriber whose first keeps failing fill more than a batch (10) at the head.
      for (let i = 0; i < 30; i++) await append(stuck, `backlog-stuck-${i}`);
      let dueFailures = 1;
      const done: string[] = [];
      start(async (job) => {
        if (job.gatewayMessageId === 'backlog-stuck-0') throw new Error('this one keeps failing');
        if (job.gatewayMessageId === 'backlog-due-0' && dueFailures-- > 0) throw new Error('PostgreSQL away, once');
        done.push(job.gatewayMessageId);
      }, 10);
      // Behind them, later, another subscriber whose message fails once: its retry falls due while the first is still held back.
      await new Promise((r) => setTimeout(r, 300));
      await append(due, 'backlog-due-0');
      await eventually(
        () => done.includes('backlog-due-0'),
        (ok) => ok,
        15_000,
      );
      expect(done.filter((id) => id.startsWith('backlog-stuck-'))).toEqual([]);
      // A few passes over 31 messages ten at a time, not a read loop spinning on the head.
      expect(reads).toBeLessThan(300);
    } finally {
      partition.read = originalRead;
    }
  }, 20_000);
});
