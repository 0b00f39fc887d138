import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@srs/queue';
import type { SmppSegment } from './smpp-mo';

/**
 * Stores one part and answers, in one step: 'done' when this set was handed
 * on already (a part delivered again), else the set's id and, once every part
 * is there, all of them (field, value, …). The set's id is made by its first
 * part, so that every call that sees the set whole hands it on under the same
 * message id, and the conversation's own deduplication lets one through.
 */
const STORE_PART = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'done' end
redis.call('HSETNX', KEYS[1], 'id', ARGV[1])
redis.call('HSET', KEYS[1], 'part:' .. ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
local id = redis.call('HGET', KEYS[1], 'id')
if redis.call('HLEN', KEYS[1]) - 1 < tonumber(ARGV[4]) then return { id } end
local all = redis.call('HGETALL', KEYS[1])
table.insert(all, 1, id)
return all
`;

/** The set was handed on: its parts go, and a marker stays for the parts the SMSC may still deliver again. */
const MARK_DONE = `
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`;

export type PartOutcome =
  /** a part of a set handed on already */
  | { kind: 'done' }
  /** stored; the set waits for more */
  | { kind: 'waiting' }
  /** the set is whole: its text, in order, and the id it is handed on under */
  | { kind: 'whole'; id: string; text: string; finish(): Promise<void> };

/**
 * The parts of concatenated MOs, kept in Redis until the last one comes (so
 * that a restart, or a second SMPP process, loses none), then handed on once.
 * A set is keyed by the sender's pseudonym (never the number), its reference
 * and its size; parts still incomplete after `ttlSeconds` expire with their key.
 * Each part is kept as the UTF-16 code units of the text the smpp package
 * decoded (UCS-2 decodes unit by unit, keeping a lone half of a surrogate
 * pair), and the whole is decoded from their concatenation: a pair split
 * between two parts joins up again, where a part kept as UTF-8 text would have
 * lost its half.
 */
export class SegmentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    /** the connection's own prefix: each bind's sets apart */
    private readonly keyPrefix: string,
  ) {}

  async store(pseudonym: string, segment: SmppSegment, text: string): Promise<PartOutcome> {
    const base = `${this.keyPrefix}:${pseudonym}:${segment.reference}:${segment.total}`;
    const keys = [`${base}:parts`, `${base}:done`];
    const answer = (await this.redis.eval(
      STORE_PART,
      2,
      ...keys,
      randomUUID(),
      String(segment.seq),
      Buffer.from(text, 'utf16le').toString('base64'),
      String(segment.total),
      String(this.ttlSeconds),
    )) as 'done' | string[];
    if (answer === 'done') return { kind: 'done' };
    const [id, ...fields] = answer;
    if (fields.length === 0) return { kind: 'waiting' };
    const parts = new Map<number, Buffer>();
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const field = fields[i]!;
      if (field.startsWith('part:')) parts.set(Number(field.slice(5)), Buffer.from(fields[i + 1]!, 'base64'));
    }
    const ordered = Array.from({ length: segment.total }, (_, i) => parts.get(i + 1) ?? Buffer.alloc(0));
    return {
      kind: 'whole',
      id: id!,
      text: Buffer.concat(ordered).toString('utf16le'),
      finish: async () => {
        await this.redis.eval(MARK_DONE, 2, ...keys, String(this.ttlSeconds));
      },
    };
  }
}
