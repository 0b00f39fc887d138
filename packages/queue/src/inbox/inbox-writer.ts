import { Cluster } from 'ioredis';
import type { RedisClient } from '../connection';
import { inboxEntry, type InboxEntry } from '../contracts';
import { InboxKeys, partitionOf } from './inbox-keys';

/**
 * The intake's one write: the connection's count for this second (on a single
 * Redis), the redelivery check and the message appended to its subscriber's
 * partition, atomically. A connection over its limit appends nothing and is
 * not counted for the refused message.
 */
const APPEND = `
local total = -1
if #KEYS == 3 then
  total = redis.call('INCR', KEYS[3])
  if total == 1 then redis.call('PEXPIRE', KEYS[3], 2000) end
  if total > tonumber(ARGV[3]) then
    redis.call('DECR', KEYS[3])
    return {0, total - 1}
  end
end
if not redis.call('SET', KEYS[2], '1', 'EX', ARGV[2], 'NX') then return {1, total} end
redis.call('XADD', KEYS[1], '*', 'e', ARGV[1])
return {2, total}`;

export type AppendStatus = 'accepted' | 'duplicate' | 'limited';
export interface AppendResult {
  status: AppendStatus;
  /** the connection's count this second, when it was counted in the same step */
  connectionCount?: number;
}

type ScriptedRedis = RedisClient & {
  srsInboxAppend(...args: Array<string | number>): Promise<[number, number]>;
};

const STATUS: AppendStatus[] = ['limited', 'duplicate', 'accepted'];

export class InboxWriter {
  private readonly redis: ScriptedRedis;
  /**
   * On a single Redis the connection limit is counted in the same script; a
   * cluster keeps it apart (its key is in another slot) and counts it in batches.
   */
  readonly countsConnections: boolean;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly partitions: number,
    private readonly seenTtlSeconds: number,
  ) {
    // The number of keys varies (with or without the connection's count): given per call.
    redis.defineCommand('srsInboxAppend', { lua: APPEND });
    this.redis = redis as ScriptedRedis;
    this.countsConnections = !(redis instanceof Cluster);
  }

  /**
   * Resolves once Redis holds the message, in one round trip. `messageKey`
   * names the gateway's message: the same key within the dedup window is a
   * redelivery and is not appended again. `connection`: the count to check
   * the message against, when `countsConnections`.
   */
  async append(entry: InboxEntry, messageKey: string, connection?: { key: string; limit: number }): Promise<AppendResult> {
    const data = JSON.stringify(inboxEntry.parse(entry));
    const keys = new InboxKeys(this.prefix, partitionOf(entry.reporter.pseudonym, this.partitions));
    const counted = connection && this.countsConnections ? connection : undefined;
    const args = counted
      ? [3, keys.stream, keys.seen(messageKey), counted.key, data, this.seenTtlSeconds, counted.limit]
      : [2, keys.stream, keys.seen(messageKey), data, this.seenTtlSeconds];
    const [status, count] = await this.redis.srsInboxAppend(...args);
    return { status: STATUS[status]!, ...(counted ? { connectionCount: count } : {}) };
  }
}
