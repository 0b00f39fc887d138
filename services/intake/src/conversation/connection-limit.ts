import type { Config } from '@srs/config';
import type { RedisClient } from '@srs/queue';

/** How often each intake adds its connections' counts to the shared ones. */
const CONNECTION_SYNC_MS = 50;

interface ConnectionWindow {
  second: number;
  /** every instance's count for this second, as Redis last answered */
  shared: number;
  /** this instance's messages not yet added to the shared count */
  unsynced: number;
  /** when this instance last added to the shared count and learnt it */
  syncedAt: number;
}

/**
 * A connection over its limit gets 429 and retries. The count per second is
 * in Redis, shared by every intake instance. On a single Redis it is counted
 * in the same script that records the message. On a cluster each instance adds its own in
 * batches every 50 ms (as Kong's batch-redis policy does): one round trip per
 * message would cost Redis more than the message itself. An instance decides
 * on the shared count as Redis gave it at most 50 ms before (a message after a
 * quiet spell waits to learn it), plus its own messages since: the connection
 * may go over its limit by what the other instances admit in 50 ms.
 */
export class ConnectionLimit {
  private readonly windows = new Map<string, ConnectionWindow>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly limits: Pick<Config['rateLimits'], 'connectionPerSecond'>,
    private readonly syncMs = CONNECTION_SYNC_MS,
  ) {}

  /**
   * Counted with the message (a single Redis: InboxWriter counts it in its one
   * write): the key of this second's count, and whether the connection is
   * already known to be over its limit, so a flood is refused without a round trip.
   */
  counted(name: string): { key: string; limit: number; over: boolean } {
    const second = Math.floor(Date.now() / 1000);
    const window = this.windows.get(name);
    const over = window?.second === second && window.shared >= this.limits.connectionPerSecond;
    return { key: this.key(name, second), limit: this.limits.connectionPerSecond, over };
  }

  /** What Redis said the connection's count is, after a message was counted with it. */
  learn(name: string, count: number): void {
    const second = Math.floor(Date.now() / 1000);
    const window = this.windows.get(name);
    if (window?.second === second) window.shared = Math.max(window.shared, count);
    else this.windows.set(name, { second, shared: count, unsynced: 0, syncedAt: Date.now() });
  }

  private key(name: string, second: number): string {
    return `${this.prefix}:rl:conn:{${name}}:${second}`;
  }

  /**
   * Counted apart from the message (a Redis Cluster, where the count's key is
   * in another slot): seconds to wait when the connection is over its limit,
   * undefined when it is not; the message is counted when admitted.
   */
  async wait(name: string): Promise<number | undefined> {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    let window = this.windows.get(name);
    if (window?.second !== second) {
      window = { second, shared: 0, unsynced: 0, syncedAt: 0 };
      this.windows.set(name, window);
    }
    if (window.shared + window.unsynced >= this.limits.connectionPerSecond) return 1;
    window.unsynced++;
    if (now - window.syncedAt > this.syncMs) {
      // Nothing heard of the other instances lately: learn their count before deciding.
      await this.add(name, window);
      return window.shared + window.unsynced > this.limits.connectionPerSecond ? 1 : undefined;
    }
    this.timer ??= setTimeout(() => void this.sync(), this.syncMs).unref();
    return undefined;
  }

  private async sync(): Promise<void> {
    this.timer = undefined;
    const current = Math.floor(Date.now() / 1000);
    await Promise.all(
      [...this.windows].map(([name, window]) => {
        if (window.second >= current) return this.add(name, window);
        this.windows.delete(name);
        return undefined;
      }),
    );
  }

  /** Adds this instance's unsynced messages to the shared count, and learns it. */
  private async add(name: string, window: ConnectionWindow): Promise<void> {
    const delta = window.unsynced;
    if (delta === 0) return;
    window.unsynced -= delta;
    window.syncedAt = Date.now();
    const key = this.key(name, window.second);
    try {
      const [total] = await Promise.all([this.redis.incrby(key, delta), this.redis.pexpire(key, 2_000)]);
      window.shared = Math.max(window.shared, total);
    } catch {
      // Redis away: this instance goes on counting alone; the messages themselves get 503.
      window.unsynced += delta;
    }
  }
}
