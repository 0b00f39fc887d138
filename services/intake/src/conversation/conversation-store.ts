import { randomUUID } from 'node:crypto';
import type { ConversationState } from '@srs/core';
import { AppError } from '@srs/http';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** The connection with the lock release defined as a script, sent by its SHA rather than its text each time. */
type LockingRedis = Redis & { srsReleaseLock(key: string, token: string): Promise<number> };

/**
 * Per-subscriber conversation state in Redis, keyed by pseudonym. The open
 * report expires with its window; an opt-out (STOP) is kept until START.
 * A short lock serialises the messages of one subscriber, so a sender that
 * follows its spam text within seconds always sees the report it belongs to.
 */
export class ConversationStore {
  private readonly redis: LockingRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly stateTtlMs: number,
  ) {
    redis.defineCommand('srsReleaseLock', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as LockingRedis;
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}:${kind}:${id}`;
  }

  async withLock<T>(pseudonym: string, fn: () => Promise<T>, waitMs = 3000): Promise<T> {
    const key = this.key('conv-lock', pseudonym);
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', 10_000, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw AppError.unavailable('subscriber_busy', 'another message of this subscriber is being handled; retry', 1);
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      return await fn();
    } finally {
      await this.redis.srsReleaseLock(key, token).catch(() => undefined);
    }
  }

  async load(pseudonym: string): Promise<ConversationState> {
    const [conversation, optedOut] = await this.redis.mget(this.key('conv', pseudonym), this.key('optout', pseudonym));
    const state = conversation ? (JSON.parse(conversation) as ConversationState) : {};
    return optedOut ? { ...state, optedOut: true } : state;
  }

  /** Saves the state and, in the same transaction, marks the message seen when given. */
  async save(pseudonym: string, state: ConversationState, seen?: { messageKey: string; ttlSeconds: number }): Promise<void> {
    const { optedOut, ...conversation } = state;
    const tx = this.redis.multi();
    if (seen) tx.set(this.key('seen', seen.messageKey), '1', 'EX', seen.ttlSeconds);
    if (Object.keys(conversation).length > 0) tx.set(this.key('conv', pseudonym), JSON.stringify(conversation), 'PX', this.stateTtlMs);
    else tx.del(this.key('conv', pseudonym));
    if (optedOut) tx.set(this.key('optout', pseudonym), '1');
    else tx.del(this.key('optout', pseudonym));
    await tx.exec();
  }

  async seen(messageKey: string): Promise<boolean> {
    return (await this.redis.exists(this.key('seen', messageKey))) === 1;
  }

  async markSeen(messageKey: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key('seen', messageKey), '1', 'EX', ttlSeconds);
  }
}
