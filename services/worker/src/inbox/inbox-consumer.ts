import { randomUUID } from 'node:crypto';
import type { Config } from '@srs/config';
import type { Counter, Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import { InboxPartition, observeInbox, type ConversationStepJob, type RedisClient } from '@srs/queue';
import { decideBatch } from './decide-batch';
import { LEASE_MS, PartitionLeases } from './partition-leases';
import { PartitionLoop } from './partition-loop';
import type { TimerMember } from './stored-conversation';

export interface InboxConsumerDeps {
  config: Pick<Config, 'routing' | 'operator' | 'conversation' | 'rateLimits' | 'redis' | 'inbox' | 'worker'>;
  logger: Logger;
  /** waits and reconnects forever; each partition's blocking reads get a duplicate of it */
  redis: RedisClient;
  carryOut(job: ConversationStepJob): Promise<void>;
  /** completes a report whose sender window closed; idempotent */
  timeout(timer: TimerMember): Promise<void>;
  registry?: Registry;
  /** decided messages (counted once their decisions are committed), by what they were taken for */
  decided?: Counter<'outcome'>;
}

/** Messages read per batch from one partition. */
const BATCH_SIZE = 200;

/**
 * The worker's side of the inbox: the partitions this worker holds a lease
 * on, each decided by a loop of its own. Messages of one subscriber are in
 * one partition and one worker decides a partition at a time, so they are
 * decided in the order they came in, and never by two workers at once.
 */
export class InboxConsumer {
  private readonly token = randomUUID();
  private readonly partitions: InboxPartition[];
  private readonly loops = new Map<number, { loop: PartitionLoop; reader: RedisClient }>();
  private readonly leases: PartitionLeases;

  constructor(private readonly deps: InboxConsumerDeps) {
    const { config } = deps;
    const conversationTtlMs = Math.max(2 * config.conversation.senderWindowMs, 86_400_000);
    this.partitions = Array.from(
      { length: config.inbox.partitions },
      (_, p) => new InboxPartition(deps.redis, config.redis.prefix, p, conversationTtlMs),
    );
    if (deps.registry) observeInbox(deps.registry, this.partitions);
    this.leases = new PartitionLeases({
      redis: deps.redis,
      prefix: config.redis.prefix,
      partitions: config.inbox.partitions,
      token: this.token,
      acquire: (p) => this.partitions[p]!.acquire(this.token, LEASE_MS),
      release: (p) => this.stopLoop(p, true),
      lost: (p) => this.stopLoop(p, false),
      start: (p) => this.startLoop(p),
    });
  }

  start(): Promise<void> {
    return this.leases.start();
  }

  /** The partitions this worker decides now. */
  get owned(): ReadonlySet<number> {
    return this.leases.owned;
  }

  /** Finishes the batches in hand, commits them and gives the partitions back for another worker to take at once. */
  async close(): Promise<void> {
    await this.leases.stop();
  }

  private startLoop(p: number): void {
    if (this.loops.has(p)) throw new Error(`partition ${p} already has a loop`);
    const partition = this.partitions[p]!;
    const reader = this.deps.redis.duplicate();
    reader.on('error', () => undefined);
    const concurrency = Math.max(1, Math.ceil(this.deps.config.worker.concurrency / this.deps.config.inbox.partitions));
    const loop = new PartitionLoop({
      partition,
      reader,
      token: this.token,
      logger: this.deps.logger,
      batchSize: BATCH_SIZE,
      decide: (records, skip) =>
        decideBatch({ config: this.deps.config, carryOut: this.deps.carryOut, concurrency }, partition, records, skip),
      timeout: this.deps.timeout,
      onCommitted: (outcomes) => {
        for (const outcome of outcomes) this.deps.decided?.inc({ outcome });
      },
      // The partition is this worker's again only once this loop has stopped, so no two loops ever run it.
      onLost: () => void this.stopLoop(p, false).then(() => this.leases.lost(p)),
    });
    this.loops.set(p, { loop, reader });
    loop.start();
  }

  private async stopLoop(p: number, release: boolean): Promise<void> {
    const running = this.loops.get(p);
    if (running) {
      await running.loop.stop();
      running.reader.disconnect();
      if (this.loops.get(p) === running) this.loops.delete(p);
    }
    if (release) await this.partitions[p]!.release(this.token).catch(() => undefined);
  }
}
