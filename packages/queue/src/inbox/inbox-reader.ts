import type { RedisClient } from '../connection';
import type { InboxRecord } from './inbox-partition';
import { InboxKeys } from './inbox-keys';

/** Where to read each partition from: the id of the last message seen ('0-0': from the oldest). */
export type ReadCursors = ReadonlyMap<number, string>;

/**
 * Reads the next messages of every partition a worker owns, waiting for the
 * first to arrive in any of them. One loop reads them all, so a round's
 * messages are decided and committed together: a handful of Redis round
 * trips a round, not a handful a partition.
 */
export interface InboxReader {
  /** Up to `count` messages a partition after its cursor, waiting up to `blockMs` for one; partitions with none are absent. */
  read(cursors: ReadCursors, count: number, blockMs: number): Promise<Map<number, InboxRecord[]>>;
  /** The partition is no longer read (its lease went); a read waiting on it is dropped. */
  forget(partition: number): void;
  close(): void;
}

/** One reader for one Redis server or a Redis Cluster, from the worker's connection. */
export function createInboxReader(redis: RedisClient, prefix: string): InboxReader {
  return redis.isCluster ? new SlotBySlotReader(redis, prefix) : new OneServerReader(redis, prefix);
}

type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

function records(entries: Array<[string, string[]]>): InboxRecord[] {
  return entries.map(([id, fields]) => {
    const at = fields.indexOf('e');
    return { id, data: at >= 0 ? (fields[at + 1] ?? '') : '' };
  });
}

/** One server holds every stream: one blocking XREAD over all of them. */
class OneServerReader implements InboxReader {
  private readonly connection: RedisClient;
  private readonly partitionOfStream = new Map<string, number>();

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
  ) {
    // Its own connection: a blocking read holds it.
    this.connection = redis.duplicate();
    this.connection.on('error', () => undefined);
  }

  async read(cursors: ReadCursors, count: number, blockMs: number): Promise<Map<number, InboxRecord[]>> {
    const found = new Map<number, InboxRecord[]>();
    if (cursors.size === 0) {
      await sleep(blockMs);
      return found;
    }
    const streams: string[] = [];
    const ids: string[] = [];
    for (const [partition, after] of cursors) {
      const stream = new InboxKeys(this.prefix, partition).stream;
      this.partitionOfStream.set(stream, partition);
      streams.push(stream);
      ids.push(after);
    }
    const reply = (await this.connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...streams, ...ids)) as XReadReply;
    for (const [stream, entries] of reply ?? []) {
      const partition = this.partitionOfStream.get(stream);
      if (partition !== undefined && entries.length > 0) found.set(partition, records(entries));
    }
    return found;
  }

  forget(): void {}

  close(): void {
    this.connection.disconnect();
  }
}

interface InFlight {
  after: string;
  settled?: InboxRecord[];
  done: Promise<void>;
}

/**
 * On a Redis Cluster each partition's stream is in a slot of its own, and one
 * XREAD may name keys of one slot only: each partition is read on a
 * connection of its own, and a round takes every read that has come back.
 * A read still waiting when the round ends is kept for the next; one whose
 * cursor has moved since (a pass from the oldest message began) is dropped
 * when it comes back.
 */
class SlotBySlotReader implements InboxReader {
  private readonly connections = new Map<number, RedisClient>();
  private readonly inFlight = new Map<number, InFlight>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async read(cursors: ReadCursors, count: number, blockMs: number): Promise<Map<number, InboxRecord[]>> {
    for (const [partition, after] of cursors) if (!this.inFlight.has(partition)) this.start(partition, after, count, blockMs);
    const waiting = [...cursors.keys()].map((p) => this.inFlight.get(p)!);
    if (waiting.length === 0) await sleep(blockMs);
    else if (!waiting.some((f) => f.settled)) await Promise.race(waiting.map((f) => f.done));
    const found = new Map<number, InboxRecord[]>();
    for (const [partition, after] of cursors) {
      const flight = this.inFlight.get(partition);
      if (!flight?.settled) continue;
      this.inFlight.delete(partition);
      if (flight.after === after && flight.settled.length > 0) found.set(partition, flight.settled);
    }
    return found;
  }

  private start(partition: number, after: string, count: number, blockMs: number): void {
    let connection = this.connections.get(partition);
    if (!connection) {
      connection = this.redis.duplicate();
      connection.on('error', () => undefined);
      this.connections.set(partition, connection);
    }
    const stream = new InboxKeys(this.prefix, partition).stream;
    const flight: InFlight = { after, done: Promise.resolve() };
    flight.done = (connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, after) as Promise<XReadReply>).then(
      (reply) => {
        flight.settled = records(reply?.[0]?.[1] ?? []);
      },
      // A failed read (Redis away) reads as none, a second later: the next round asks again.
      () =>
        sleep(1000).then(() => {
          flight.settled = [];
        }),
    );
    this.inFlight.set(partition, flight);
  }

  forget(partition: number): void {
    this.inFlight.delete(partition);
    this.connections.get(partition)?.disconnect();
    this.connections.delete(partition);
  }

  close(): void {
    for (const partition of [...this.connections.keys()]) this.forget(partition);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
