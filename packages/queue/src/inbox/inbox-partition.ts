import type { RedisClient } from '../connection';
import { InboxKeys } from './inbox-keys';

/** Takes the partition's lease, or renews it when this owner holds it already. */
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** Each subscriber's conversation and opt-out; a missing conversation reads as ''. */
const LOAD = `
local out = {}
for i = 1, #KEYS, 2 do
  local conversation = redis.call('GET', KEYS[i])
  out[#out + 1] = conversation or ''
  out[#out + 1] = redis.call('EXISTS', KEYS[i + 1])
end
return out`;

/**
 * What a batch decided, written at once and only by the partition's owner: a
 * worker whose lease lapsed (a long pause) writes nothing, and the new owner
 * decides those messages again from the state as it was. The decided messages
 * leave the stream in the same step as the states they produced, so a message
 * is either still waiting or decided, never both.
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = ARGV[2]
local i = 3
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('XDEL', KEYS[2], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for k = 1, n do
  local conv, optout = KEYS[4 + 2 * k - 1], KEYS[4 + 2 * k]
  if ARGV[i] == '' then redis.call('DEL', conv) else redis.call('SET', conv, ARGV[i], 'PX', ttl) end
  if ARGV[i + 1] == '1' then redis.call('SET', optout, '1') else redis.call('DEL', optout) end
  i = i + 2
end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZREM', KEYS[3], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 10000, '*', 'e', ARGV[i], 'reason', ARGV[i + 1])
  redis.call('XDEL', KEYS[2], ARGV[i + 2])
  i = i + 3
end
return 1`;

type ScriptedRedis = RedisClient & {
  srsInboxAcquire(owner: string, token: string, leaseMs: number): Promise<number>;
  srsInboxRelease(owner: string, token: string): Promise<number>;
  srsInboxLoad(...args: Array<string | number>): Promise<Array<string | number>>;
  srsInboxCommit(...args: Array<string | number>): Promise<number>;
};

/** A message as read from the partition: its stream id and the entry as written (JSON). */
export interface InboxRecord {
  id: string;
  data: string;
}

export interface StoredConversation {
  /** as last committed, '' when there is none (new, or expired) */
  conversation: string;
  optedOut: boolean;
}

export interface PartitionCommit {
  /** stream ids of the messages decided */
  decided: string[];
  conversations: Array<{ pseudonym: string; conversation: string; optedOut: boolean }>;
  timersAdded: Array<{ member: string; at: number }>;
  timersDone: string[];
  /** messages given up on: moved to the dead-letter stream */
  dead: Array<{ record: InboxRecord; reason: string }>;
}

/** One partition of the inbox, as its owner reads and writes it. */
export class InboxPartition {
  readonly keys: InboxKeys;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisClient,
    prefix: string,
    partition: number,
    private readonly conversationTtlMs: number,
  ) {
    this.keys = new InboxKeys(prefix, partition);
    redis.defineCommand('srsInboxAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('srsInboxRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('srsInboxLoad', { lua: LOAD });
    redis.defineCommand('srsInboxCommit', { lua: COMMIT });
    this.redis = redis as ScriptedRedis;
  }

  async acquire(token: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.srsInboxAcquire(this.keys.owner, token, leaseMs)) === 1;
  }

  async release(token: string): Promise<void> {
    await this.redis.srsInboxRelease(this.keys.owner, token);
  }

  /** Up to `count` messages after `after` ('0-0': from the oldest), waiting up to `blockMs` for one on `reader`. */
  async read(reader: RedisClient, after: string, count: number, blockMs: number): Promise<InboxRecord[]> {
    const reply = (await reader.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.keys.stream, after)) as Array<
      [string, Array<[string, string[]]>]
    > | null;
    const records: InboxRecord[] = [];
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        const at = fields.indexOf('e');
        records.push({ id, data: at >= 0 ? (fields[at + 1] ?? '') : '' });
      }
    }
    return records;
  }

  async load(pseudonyms: readonly string[]): Promise<Map<string, StoredConversation>> {
    const found = new Map<string, StoredConversation>();
    if (pseudonyms.length === 0) return found;
    const keys = pseudonyms.flatMap((p) => [this.keys.conversation(p), this.keys.optOut(p)]);
    const reply = await this.redis.srsInboxLoad(keys.length, ...keys);
    pseudonyms.forEach((p, i) => found.set(p, { conversation: String(reply[2 * i]), optedOut: reply[2 * i + 1] === 1 }));
    return found;
  }

  /** Sender windows closed by `until`, oldest first. */
  async dueTimers(until: number, limit: number): Promise<Array<{ member: string; at: number }>> {
    const reply = await this.redis.zrangebyscore(this.keys.timers, '-inf', until, 'WITHSCORES', 'LIMIT', 0, limit);
    const due: Array<{ member: string; at: number }> = [];
    for (let i = 0; i < reply.length; i += 2) due.push({ member: reply[i]!, at: Number(reply[i + 1]) });
    return due;
  }

  /** Writes what a batch decided; false when this owner no longer holds the lease (nothing written). */
  async commit(token: string, commit: PartitionCommit): Promise<boolean> {
    const k = this.keys;
    const keys = [
      k.owner,
      k.stream,
      k.timers,
      k.dead,
      ...commit.conversations.flatMap((c) => [k.conversation(c.pseudonym), k.optOut(c.pseudonym)]),
    ];
    const args: Array<string | number> = [
      token,
      this.conversationTtlMs,
      commit.decided.length,
      ...commit.decided,
      commit.conversations.length,
      ...commit.conversations.flatMap((c) => [c.conversation, c.optedOut ? '1' : '0']),
      commit.timersAdded.length,
      ...commit.timersAdded.flatMap((t) => [t.at, t.member]),
      commit.timersDone.length,
      ...commit.timersDone,
      commit.dead.length,
      ...commit.dead.flatMap((d) => [d.record.data, d.reason, d.record.id]),
    ];
    return (await this.redis.srsInboxCommit(keys.length, ...keys, ...args)) === 1;
  }

  /** Messages waiting and sender windows open, for the gauges. */
  async depth(): Promise<{ waiting: number; timers: number; dead: number }> {
    const [waiting, timers, dead] = await Promise.all([
      this.redis.xlen(this.keys.stream),
      this.redis.zcard(this.keys.timers),
      this.redis.xlen(this.keys.dead),
    ]);
    return { waiting, timers, dead };
  }
}
