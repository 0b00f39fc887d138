import { randomUUID } from 'node:crypto';
import type { ConversationState } from '@srs/core';
import { AppError } from '@srs/http';
import type { RedisClient } from '@srs/queue';
import { reporterVerdict, type ReporterLimits, type ReporterVerdict } from './rate-limits';

/**
 * Takes the subscriber's lock and, when it got it, reads what the message
 * needs: seen before? the state; and counts a new message against the
 * subscriber's windows (a minute, a day; fixed windows from the first message,
 * the day not counted once the minute is over).
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {0} end
local seen = redis.call('EXISTS', KEYS[2])
local minute, day = 0, 0
if seen == 0 then
  minute = redis.call('INCR', KEYS[5])
  if minute == 1 then redis.call('PEXPIRE', KEYS[5], 60000) end
  if minute <= tonumber(ARGV[3]) then
    day = redis.call('INCR', KEYS[6])
    if day == 1 then redis.call('PEXPIRE', KEYS[6], 86400000) end
  end
end
return {1, seen, redis.call('GET', KEYS[3]), redis.call('EXISTS', KEYS[4]), minute, day}`;

/** Writes the outcome of one message and releases the lock, in one step. */
const FINISH = `
if ARGV[2] ~= '0' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[2]) end
if ARGV[3] == '1' then
  if ARGV[4] == '' then redis.call('DEL', KEYS[3]) else redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5]) end
  if ARGV[6] == '1' then redis.call('SET', KEYS[4], '1') else redis.call('DEL', KEYS[4]) end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

type BeginReply = [0] | [1, number, string | null, number, number, number];

/** The connection with the scripts defined, sent by their SHA rather than their text each time. */
type ScriptedRedis = RedisClient & {
  srsConversationBegin(
    ...args: [...SubscriberKeys, minuteWindow: string, dayWindow: string, token: string, lockMs: number, perMinute: number]
  ): Promise<BeginReply>;
  srsConversationFinish(
    lock: string,
    seen: string,
    conv: string,
    optout: string,
    token: string,
    seenTtlSeconds: number,
    save: '0' | '1',
    conversation: string,
    stateTtlMs: number,
    optedOut: '0' | '1',
  ): Promise<number>;
};

type SubscriberKeys = [lock: string, seen: string, conv: string, optout: string];

/** What one message found, and what it leaves behind. */
export interface Current {
  seen: boolean;
  state: ConversationState;
  /** the subscriber's standing against the rate limits, this message counted (a seen one is not) */
  verdict: ReporterVerdict;
}
export interface Outcome<T> {
  result: T;
  /** the new state to keep; absent, the state stays as it was */
  save?: ConversationState;
  /** remember the message, so a redelivery is answered as a duplicate */
  markSeen: boolean;
}

const LOCK_MS = 10_000;

/**
 * Per-subscriber conversation state in Redis, keyed by pseudonym. The open
 * report expires with its window; an opt-out (STOP) is kept until START.
 * A short lock serialises the messages of one subscriber, so a sender that
 * follows its spam text within seconds always sees the report it belongs to.
 * Every key of a subscriber carries the pseudonym as its hash tag: on a Redis
 * Cluster they share a slot, so each script may touch them all. Two scripts
 * per message: one to lock, read and count, one to write and unlock.
 */
export class ConversationStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly stateTtlMs: number,
    private readonly seenTtlSeconds: number,
    private readonly limits: ReporterLimits,
  ) {
    redis.defineCommand('srsConversationBegin', { numberOfKeys: 6, lua: BEGIN });
    redis.defineCommand('srsConversationFinish', { numberOfKeys: 4, lua: FINISH });
    this.redis = redis as ScriptedRedis;
  }

  /** The subscriber's keys, then their rate-limit windows; `messageKey` names the message being handled. */
  private keys(pseudonym: string, messageKey: string): { keys: SubscriberKeys; windows: [string, string] } {
    const tag = `{${pseudonym}}`;
    return {
      keys: [
        `${this.prefix}:conv-lock:${tag}`,
        `${this.prefix}:seen:${tag}:${messageKey}`,
        `${this.prefix}:conv:${tag}`,
        optOutKey(this.prefix, pseudonym),
      ],
      windows: [`${this.prefix}:rl-minute:${tag}`, `${this.prefix}:rl-day:${tag}`],
    };
  }

  /** Runs `fn` under the subscriber's lock with what Redis holds for them, then stores its outcome. */
  async handle<T>(pseudonym: string, messageKey: string, fn: (current: Current) => Promise<Outcome<T>>, waitMs = 3000): Promise<T> {
    const { keys, windows } = this.keys(pseudonym, messageKey);
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    const begin = () => this.redis.srsConversationBegin(...keys, ...windows, token, LOCK_MS, this.limits.perMinute);
    let reply = await begin();
    while (reply[0] === 0) {
      if (Date.now() > deadline)
        throw AppError.unavailable('subscriber_busy', 'another message of this subscriber is being handled; retry', 1);
      await new Promise((r) => setTimeout(r, 25));
      reply = await begin();
    }
    const [, seen, conversation, optedOut, minute, day] = reply;
    const state: ConversationState = conversation ? (JSON.parse(conversation) as ConversationState) : {};
    let outcome: Outcome<T>;
    try {
      outcome = await fn({
        seen: seen === 1,
        state: optedOut === 1 ? { ...state, optedOut: true } : state,
        verdict: reporterVerdict({ minute, day }, this.limits),
      });
    } catch (err) {
      await this.redis.srsConversationFinish(...keys, token, 0, '0', '', 0, '0').catch(() => undefined);
      throw err;
    }
    const { optedOut: keepOptOut, ...rest } = outcome.save ?? {};
    await this.redis.srsConversationFinish(
      ...keys,
      token,
      outcome.markSeen ? this.seenTtlSeconds : 0,
      outcome.save ? '1' : '0',
      Object.keys(rest).length > 0 ? JSON.stringify(rest) : '',
      this.stateTtlMs,
      keepOptOut ? '1' : '0',
    );
    return outcome.result;
  }
}

export function optOutKey(prefix: string, pseudonym: string): string {
  return `${prefix}:optout:{${pseudonym}}`;
}
