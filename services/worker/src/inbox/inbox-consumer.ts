import { randomUUID } from 'node:crypto';
import type { Config } from '@srs/config';
import type { Counter, Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import { createInboxReader, InboxPartition, observeInbox, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { decideBatch } from './decide-batch';
import { LEASE_MS, PartitionLeases } from './partition-leases';
import { InboxLoop } from './inbox-loop';
import { OwnedPartition } from './owned-partition';
import type { TimerMember } from './stored-conversation';

export interface InboxConsumerDeps {
  config: Pick<Config, 'routing' | 'operator' | 'conversation' | 'rateLimits' | 'redis' | 'inbox' | 'worker'>;
  logger: Logger;
  /** waits and reconnects forever; the blocking reads get duplicates of it */
  redis: RedisClient;
  carryOut(job: ConversationStepJob): Promise<void>;
  /** completes a report whose sender window closed; idempotent */
  timeout(timer: TimerMember): Promise<void>;
  registry?: Registry;
  /** decided messages (counted once their decisions are committed), by what they were taken for */
  decided?: Counter<'outcome'>;
}

/** Messages read from one partition a round. */
const BATCH_SIZE = 200;

/**
 * The worker's side of the inbox: the partitions this worker holds a lease
 * on, decided by one loop. Messages of one subscriber are in one partition
 * and one worker decides a partition at a time, so they are decided in the
 * order they came in, and never by two workers at once.
 */
export class InboxConsumer {
  private readonly token = randomUUID();
  private readonly partitions: InboxPartition[];
  private readonly loop: InboxLoop;
  private readonly leases: PartitionLeases;

  constructor(private readonly deps: InboxConsumerDeps) {
    const { config } = deps;
    const conversationTtlMs = Math.max(2 * config.conversation.senderWindowMs, 86_400_000);
    this.partitions = Array.from(
      { length: config.inbox.partitions },
      (_, p) => new InboxPartition(deps.redis, config.redis.prefix, p, conversationTtlMs),
    );
    if (deps.registry) observeInbox(deps.registry, this.partitions);
    this.loop = new InboxLoop({
      reader: createInboxReader(deps.redis, config.redis.prefix),
      logger: deps.logger,
      batchSize: BATCH_SIZE,
      // The partition is this worker's again only once the loop has let it go, so no two rounds ever decide it.
      lost: (p) => this.leases.lost(p),
    });
    this.leases = new PartitionLeases({
      redis: deps.redis,
      prefix: config.redis.prefix,
      partitions: config.inbox.partitions,
      token: this.token,
      acquire: (p) => this.partitions[p]!.acquire(this.token, LEASE_MS),
      release: (p) => this.letGo(p, true),
      lost: (p) => this.letGo(p, false),
      start: (p) => this.decide(p),
    });
  }

  start(): Promise<void> {
    return this.leases.start();
  }

  /** The partitions this worker decides now. */
  get owned(): ReadonlySet<number> {
    return this.leases.owned;
  }

  /** Finishes the round in hand, commits it and gives the partitions back for another worker to take at once. */
  async close(): Promise<void> {
    await this.loop.stop();
    await this.leases.stop();
  }

  private decide(p: number): void {
    const partition = this.partitions[p]!;
    const concurrency = Math.max(1, Math.ceil(this.deps.config.worker.concurrency / this.deps.config.inbox.partitions));
    this.loop.add(
      new OwnedPartition({
        partition,
        token: this.token,
        logger: this.deps.logger,
        batchSize: BATCH_SIZE,
        decide: (records, skip) =>
          decideBatch({ config: this.deps.config, carryOut: this.deps.carryOut, concurrency }, partition, records, skip),
        timeout: this.deps.timeout,
        onCommitted: (outcomes) => {
          for (const outcome of outcomes) this.deps.decided?.inc({ outcome });
        },
        stopping: () => this.loop.isStopping,
      }),
    );
  }

  private async letGo(p: number, release: boolean): Promise<void> {
    await this.loop.remove(p);
    if (release) await this.partitions[p]!.release(this.token).catch(() => undefined);
  }
}
