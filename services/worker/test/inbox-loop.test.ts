import { pseudonymise } from '@srs/core';
import { createLogger } from '@srs/logging';
import {
  createInboxReader,
  createRedis,
  InboxPartition,
  InboxWriter,
  partitionOf,
  type ConversationStepJob,
  type RedisClient,
} from '@srs/queue';
import { deleteRedisPrefix, eventually, testConfig, testInboxEntry, uniqueSuffix } from '@srs/testkit';
import { decideBatch } from '../src/inbox/decide-batch';
import { InboxLoop } from '../src/inbox/inbox-loop';
import { OwnedPartition } from '../src/inbox/owned-partition';

/** One loop over several partitions of the inbox, against the real Redis. */
describe('the inbox loop over the partitions a worker owns', () => {
  const PARTITIONS = 4;
  const config = testConfig({
    INBOX_PARTITIONS: String(PARTITIONS),
    RATE_LIMIT_REPORTER_PER_MINUTE: '1000',
    RATE_LIMIT_REPORTER_PER_DAY: '100000',
  });
  const logger = createLogger({ name: 'test', level: 'silent' });
  const token = `owner-${uniqueSuffix()}`;
  let redis: RedisClient;
  let writer: InboxWriter;
  let partitions: InboxPartition[];
  let loop: InboxLoop;
  const seen: string[] = [];
  const lost: number[] = [];

  beforeAll(async () => {
    redis = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    writer = new InboxWriter(redis, config.redis.prefix, PARTITIONS, 3600);
    partitions = Array.from({ length: PARTITIONS }, (_, p) => new InboxPartition(redis, config.redis.prefix, p, 86_400_000));
    for (const partition of partitions) expect(await partition.acquire(token, 60_000)).toBe(true);
    loop = new InboxLoop({ reader: createInboxReader(redis, config.redis.prefix), logger, batchSize: 50, lost: (p) => lost.push(p) });
    const carryOut = async (job: ConversationStepJob) => {
      seen.push(job.gatewayMessageId);
    };
    for (const partition of partitions) {
      loop.add(
        new OwnedPartition({
          partition,
          token,
          logger,
          batchSize: 50,
          decide: (records, skip) => decideBatch({ config, carryOut, concurrency: 2 }, partition, records, skip),
          timeout: async () => undefined,
          stopping: () => loop.isStopping,
        }),
      );
    }
  });

  afterAll(async () => {
    await loop.stop();
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
  });

  /** Subscribers until each partition has `perPartition` of them. */
  function subscribersByPartition(perPartition: number): string[][] {
    const by: string[][] = Array.from({ length: PARTITIONS }, () => []);
    for (let i = 0; by.some((s) => s.length < perPartition); i++) {
      const pseudonym = pseudonymise(`+4477008${String(10000 + i)}`, config.privacy.msisdnHmacKey);
      const list = by[partitionOf(pseudonym, PARTITIONS)]!;
      if (list.length < perPartition) list.push(pseudonym);
    }
    return by;
  }

  async function append(pseudonym: string, id: string): Promise<void> {
    expect((await writer.append(testInboxEntry(pseudonym, id, { text: 'HELP' }), `${id}-${uniqueSuffix()}`)).status).toBe('accepted');
  }

  const waiting = async (p: number) => (await partitions[p]!.depth()).waiting;

  it("decides every partition's messages, each subscriber's in the order they came", async () => {
    const by = subscribersByPartition(2);
    for (let i = 0; i < 15; i++) {
      for (let p = 0; p < PARTITIONS; p++) for (const [j, pseudonym] of by[p]!.entries()) await append(pseudonym, `many-${p}-${j}-${i}`);
    }
    await eventually(
      () => seen.filter((id) => id.startsWith('many-')).length,
      (n) => n === 15 * 2 * PARTITIONS,
    );
    for (let p = 0; p < PARTITIONS; p++) {
      for (let j = 0; j < 2; j++) {
        const ofOne = seen.filter((id) => id.startsWith(`many-${p}-${j}-`));
        expect(ofOne).toEqual(Array.from({ length: 15 }, (_, i) => `many-${p}-${j}-${i}`));
      }
      expect(await waiting(p)).toBe(0);
    }
    expect(lost).toEqual([]);
  });

  it('decides nothing more of a partition taken out of the loop, and goes on with the others', async () => {
    const by = subscribersByPartition(1);
    await loop.remove(3);
    await append(by[3]![0]!, 'after-removal-3');
    await append(by[0]![0]!, 'after-removal-0');
    await eventually(
      () => seen.includes('after-removal-0'),
      (ok) => ok,
    );
    // A round or two more, in which partition 3 would have been read had it still been in the loop.
    await new Promise((r) => setTimeout(r, 600));
    expect(seen).not.toContain('after-removal-3');
    expect(await waiting(3)).toBe(1);
  });

  it('gives a partition up when its lease went to another worker, and tells who keeps the leases', async () => {
    const by = subscribersByPartition(1);
    // Another worker took partition 1 while this one was paused.
    await redis.set(partitions[1]!.keys.owner, 'another-worker', 'PX', 60_000);
    await append(by[1]![0]!, 'stolen-1');
    await eventually(
      () => [...lost],
      (l) => l.includes(1),
    );
    // Decided here but not committed: the message waits for the new owner, who decides it again.
    expect(await waiting(1)).toBe(1);
  });
});
