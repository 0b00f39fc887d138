import { existsSync, readFileSync } from 'node:fs';
import { InboxKeys, type RedisClient } from '@srs/queue';
import { elapsedMs } from './util';

/** A partition whose lease passed from one worker to another without being given back: its owner was killed. */
export interface Takeover {
  partition: number;
  /** soak clock (ms since the load began) when the new owner was first seen */
  atMs: number;
  from: string;
  to: string;
}

/**
 * Who holds each partition of the inbox, read from the owner keys twice a
 * second (one MGET) while the soak runs. A worker that stops gracefully gives
 * its partitions back (the key is deleted); one that is SIGKILLed keeps them
 * until its 15 s leases lapse, and the new worker takes them then. So a
 * partition seen with one owner and later with another is a takeover after a
 * kill: the only kind of stop the soak inflicts on the worker while it runs.
 * Polls that fail (Redis down) are skipped; a lease that changed hands while
 * Redis was down is still seen, by its new owner.
 */
export class InboxWatch {
  readonly takeovers: Takeover[] = [];
  private readonly keys: string[];
  private readonly lastOwner: Array<string | undefined>;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    partitions: number,
  ) {
    this.keys = Array.from({ length: partitions }, (_, p) => new InboxKeys(prefix, p).owner);
    this.lastOwner = this.keys.map(() => undefined);
  }

  start(intervalMs = 500): void {
    this.timer = setInterval(() => {
      this.polling ??= this.poll()
        .catch(() => undefined)
        .finally(() => (this.polling = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  private async poll(): Promise<void> {
    const owners = await this.redis.mget(...this.keys);
    owners.forEach((owner, p) => {
      if (owner === null) return;
      const before = this.lastOwner[p];
      if (before !== undefined && before !== owner) this.takeovers.push({ partition: p, atMs: elapsedMs(), from: before, to: owner });
      this.lastOwner[p] = owner;
    });
  }
}

/** The takeovers, grouped by the worker that took the partitions over: "16 at 9.8–10.3 s; 16 at 43.1 s". */
export function describeTakeovers(takeovers: readonly Takeover[]): string {
  const byNewOwner = new Map<string, Takeover[]>();
  for (const t of takeovers) byNewOwner.set(t.to, [...(byNewOwner.get(t.to) ?? []), t]);
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return [...byNewOwner.values()]
    .map((group) => {
      const first = Math.min(...group.map((t) => t.atMs));
      const last = Math.max(...group.map((t) => t.atMs));
      return `${group.length} at ${first === last ? s(first) : `${s(first)}–${s(last)}`} s`;
    })
    .join('; ');
}

/** Messages set aside in the partitions' dead-letter streams, and the reasons of up to `limit` of them. */
export async function deadLetters(
  redis: RedisClient,
  prefix: string,
  partitions: number,
  limit = 20,
): Promise<{ total: number; reasons: Array<{ partition: number; id: string; reason: string }> }> {
  let total = 0;
  const reasons: Array<{ partition: number; id: string; reason: string }> = [];
  for (let p = 0; p < partitions; p++) {
    const dead = new InboxKeys(prefix, p).dead;
    const n = await redis.xlen(dead);
    total += n;
    if (n === 0 || reasons.length >= limit) continue;
    for (const [id, fields] of await redis.xrange(dead, '-', '+', 'COUNT', limit - reasons.length)) {
      const at = fields.indexOf('reason');
      reasons.push({ partition: p, id, reason: at >= 0 ? (fields[at + 1] ?? '') : '?' });
    }
  }
  return { total, reasons };
}

export interface WorkerLogEvidence {
  /** failed attempts later retried with backoff: inbox messages and outbound-sms jobs, grouped by error */
  failedAttempts: { total: number; byError: Map<string, number> };
  /** inbox messages set aside after their last attempt (also in the dead-letter streams) */
  setAside: number;
  /** commits refused because another worker held the partition by then */
  leaseLost: number;
}

/** Failure lines the worker logged, one per attempt (see the worker's PartitionLoop and its queue workers). */
const RETRIED: Record<string, string> = {
  'inbox message failed; will retry': 'inbox',
  'could not commit to the inbox; retrying': 'inbox commit',
  'could not read the inbox; retrying': 'inbox read',
  'sender window could not be closed; will retry': 'sender window',
  'job failed': 'queue',
};

/** What the worker's log says went wrong and was retried, set aside, or refused. */
export function workerLogEvidence(workerLog: string): WorkerLogEvidence {
  const byError = new Map<string, number>();
  const evidence: WorkerLogEvidence = { failedAttempts: { total: 0, byError }, setAside: 0, leaseLost: 0 };
  if (!existsSync(workerLog)) return evidence;
  for (const line of readFileSync(workerLog, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { msg?: string; queue?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // not a JSON log line
    }
    if (entry.msg === 'inbox message set aside') evidence.setAside++;
    if (entry.msg === 'inbox partition lease lost') evidence.leaseLost++;
    const kind = entry.msg ? RETRIED[entry.msg] : undefined;
    if (!kind) continue;
    const key = `${kind === 'queue' ? (entry.queue ?? 'queue') : kind}: ${(entry.err?.message ?? '?').slice(0, 80)}`;
    byError.set(key, (byError.get(key) ?? 0) + 1);
    evidence.failedAttempts.total++;
  }
  return evidence;
}
