import { hashString } from '@srs/core';
import type { RedisClient } from '@srs/queue';

export interface PartitionLeasesDeps {
  redis: RedisClient;
  prefix: string;
  partitions: number;
  /** this worker's token */
  token: string;
  /** tries to take or renew partition `p`'s lease */
  acquire(p: number): Promise<boolean>;
  /** gives partition `p` up: its loop stops, then its lease is released */
  release(p: number): Promise<void>;
  /** partition `p`'s lease could not be renewed (another worker may hold it): its loop stops, nothing is released */
  lost(p: number): Promise<void>;
  start(p: number): void;
}

/** How long a lease lasts unrenewed: a worker that died gives its partitions up after this. */
export const LEASE_MS = 15_000;
const TICK_MS = 2_000;

/**
 * Which partitions this worker decides. Every worker says it is alive in a
 * sorted set; each takes its fair share (partitions over live workers, rounded
 * up) of the partitions nobody holds and gives back what it holds beyond
 * that, so a second worker gets half within a few ticks, and the partitions of
 * a worker that died are taken over once their leases lapse.
 */
export class PartitionLeases {
  readonly owned = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly membersKey: string;

  constructor(private readonly deps: PartitionLeasesDeps) {
    this.membersKey = `${deps.prefix}:inbox-workers`;
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch(() => undefined)
        .finally(() => (this.ticking = undefined));
    }, TICK_MS);
  }

  /** The partition's loop stopped on its own (lease lost): it is not ours any more. */
  lost(p: number): void {
    this.owned.delete(p);
  }

  /** Gives every partition back and leaves the set of live workers. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all([...this.owned].map((p) => this.deps.release(p)));
    this.owned.clear();
    await this.deps.redis.zrem(this.membersKey, this.deps.token).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    const { redis, partitions, token } = this.deps;
    const now = Date.now();
    await redis.zadd(this.membersKey, now, token);
    await redis.zremrangebyscore(this.membersKey, '-inf', now - LEASE_MS);
    const live = Math.max(1, await redis.zcard(this.membersKey));
    const share = Math.ceil(partitions / live);

    for (const p of [...this.owned]) {
      if (await this.deps.acquire(p)) continue;
      this.owned.delete(p);
      await this.deps.lost(p);
    }
    while (this.owned.size > share) {
      const p = Math.max(...this.owned);
      this.owned.delete(p);
      await this.deps.release(p);
    }
    // Start from a place of this worker's own, so workers starting together do not all race for partition 0.
    const offset = (hashString(token) >>> 0) % partitions;
    for (let i = 0; i < partitions && this.owned.size < share; i++) {
      const p = (offset + i) % partitions;
      if (this.owned.has(p)) continue;
      if (await this.deps.acquire(p)) {
        this.owned.add(p);
        this.deps.start(p);
      }
    }
  }
}
