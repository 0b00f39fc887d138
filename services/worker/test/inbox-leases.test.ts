import { pseudonymise } from '@srs/core';
import { createLogger } from '@srs/logging';
import { createRedis, InboxKeys, InboxWriter, partitionOf, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { deleteRedisPrefix, eventually, testConfig, testInboxEntry, uniqueSuffix } from '@srs/testkit';
import { InboxConsumer } from '../src/inbox/inbox-consumer';

/** The partitions a worker holds: one loop each, stopped when the lease is lost, none left after close. */
describe('the inbox consumer and its partition leases', () => {
  const config = testConfig({ INBOX_PARTITIONS: '2' });
  const logger = createLogger({ name: 'test', level: 'silent' });
  let redis: RedisClient;
  let writer: InboxWriter;
  const carriedOut: string[] = [];
  /** messages whose steps wait until the test lets them go, as on a gateway that hangs */
  const held = new Map<string, Promise<void>>();
  /** messages whose steps have begun */
  const begun = new Set<string>();
  let consumer: InboxConsumer;

  beforeAll(async () => {
    redis = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    writer = new InboxWriter(redis, config.redis.prefix, 2, 3600);
    consumer = new InboxConsumer({
      config,
      logger,
      redis,
      carryOut: async (job: ConversationStepJob) => {
        begun.add(job.gatewayMessageId);
        await held.get(job.gatewayMessageId);
        carriedOut.push(job.gatewayMessageId);
      },
      timeout: async () => undefined,
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer.close();
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
  });

  /** A subscriber in partition `p`. */
  function subscriberIn(p: number): string {
    for (let i = 0; ; i++) {
      const pseudonym = pseudonymise(`+44770090${String(i).padStart(4, '0')}`, config.privacy.msisdnHmacKey);
      if (partitionOf(pseudonym, 2) === p) return pseudonym;
    }
  }

  async function append(pseudonym: string, id: string): Promise<void> {
    await writer.append(testInboxEntry(pseudonym, id), `${id}-${uniqueSuffix()}`);
  }

  it('takes every partition when it is the only worker', async () => {
    expect([...consumer.owned].sort()).toEqual([0, 1]);
  });

  it('stops deciding a partition whose lease another took, and decides each message once when it has it back', async () => {
    const owner = new InboxKeys(config.redis.prefix, 0).owner;
    // Another worker holds partition 0 for 3 s: this one's renewal fails and its loop must stop.
    await redis.set(owner, 'another-worker', 'PX', 3000);
    await eventually(
      () => consumer.owned.has(0),
      (owned) => !owned,
      10_000,
    );
    await eventually(
      () => consumer.owned.has(0),
      (owned) => owned,
      15_000,
    );
    const id = `after-takeover-${uniqueSuffix()}`;
    await append(subscriberIn(0), id);
    await eventually(
      () => carriedOut.filter((x) => x === id).length,
      (n) => n >= 1,
    );
    // Time for a second loop, had one been left running, to decide it again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(carriedOut.filter((x) => x === id)).toHaveLength(1);
  }, 30_000);

  it("goes on deciding one partition while a step of another's hangs", async () => {
    const hung = `hung-${uniqueSuffix()}`;
    let letGo = () => undefined as void;
    held.set(hung, new Promise<void>((resolve) => (letGo = resolve)));
    await append(subscriberIn(0), hung);
    // Partition 0 is stuck in the hung step before partition 1's messages arrive.
    expect(
      await eventually(
        () => begun.has(hung),
        (started) => started,
      ),
    ).toBe(true);
    const meanwhile = Array.from({ length: 5 }, (_, i) => `meanwhile-${i}-${uniqueSuffix()}`);
    for (const id of meanwhile) await append(subscriberIn(1), id);
    // Well before the hung step is let go: partition 1 did not wait for partition 0.
    expect(
      await eventually(
        () => meanwhile.filter((id) => carriedOut.includes(id)).length,
        (n) => n === meanwhile.length,
        3000,
      ),
    ).toBe(meanwhile.length);
    expect(carriedOut).not.toContain(hung);
    letGo();
    expect(
      await eventually(
        () => carriedOut.includes(hung),
        (done) => done,
      ),
    ).toBe(true);
  });

  it('decides nothing more once closed, and gives its partitions back', async () => {
    await consumer.close();
    const id = `after-close-${uniqueSuffix()}`;
    await append(subscriberIn(1), id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(carriedOut).not.toContain(id);
    expect(await redis.exists(new InboxKeys(config.redis.prefix, 0).owner, new InboxKeys(config.redis.prefix, 1).owner)).toBe(0);
  });
});
