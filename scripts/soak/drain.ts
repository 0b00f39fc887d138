import type { Pool } from '@srs/db';
import { InboxKeys, type RedisClient } from '@srs/queue';
import type { Queue } from 'bullmq';
import { say, sleep } from './util';

export interface DrainResult {
  how: 'all stored, inbox empty' | 'inbox empty' | 'timed out';
  ms: number;
  /** acknowledged reports found stored when the wait ended */
  stored: number;
  /** the inbox and the outbound-sms queue when the wait ended */
  state: InboxState;
}

export interface InboxState {
  /** messages in the partition streams: recorded by the intake, not yet decided and committed */
  waiting: number;
  /** messages set aside in the partitions' dead-letter streams */
  dead: number;
  /** open sender windows */
  timers: number;
  /** replies queued (outbound-sms) and not sent yet */
  repliesQueued: number;
}

const PENDING_REPLIES = ['wait', 'active', 'delayed', 'prioritized', 'paused'] as const;

/** Every partition's stream, dead-letter stream and timers summed, and the replies still queued (0 without `outbound`). */
export async function inboxState(redis: RedisClient, prefix: string, partitions: number, outbound?: Queue): Promise<InboxState> {
  const keys = Array.from({ length: partitions }, (_, p) => new InboxKeys(prefix, p));
  const pipeline = redis.pipeline();
  for (const k of keys) pipeline.xlen(k.stream).xlen(k.dead).zcard(k.timers);
  const replies = await pipeline.exec();
  if (!replies) throw new Error('the inbox could not be read');
  const n = (i: number) => {
    const [err, value] = replies[i]!;
    if (err) throw err;
    return Number(value);
  };
  const state: InboxState = { waiting: 0, dead: 0, timers: 0, repliesQueued: 0 };
  keys.forEach((_, p) => {
    state.waiting += n(3 * p);
    state.dead += n(3 * p + 1);
    state.timers += n(3 * p + 2);
  });
  if (outbound) {
    const counts = await outbound.getJobCounts(...PENDING_REPLIES);
    state.repliesQueued = PENDING_REPLIES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  }
  return state;
}

/**
 * Waits until the inbox is empty and no reply is queued (two polls in a row),
 * so that the count sees every rerun too. A message leaves its partition's
 * stream only in the commit that follows its steps (the report stored, the
 * reply sent or queued); the messages of a SIGKILLed worker's partitions stay
 * there until their leases lapse (15 s) and another worker decides them again,
 * and a message decided again whose report is already stored must not store
 * it again. A message that kept failing leaves the stream for the dead-letter
 * stream: reported apart, never waited for.
 */
export async function waitForWorker(
  pool: Pool,
  inbox: { redis: RedisClient; prefix: string; partitions: number; outbound: Queue },
  acknowledgedIds: string[],
  timeoutMs: number,
): Promise<DrainResult> {
  const started = Date.now();
  let idlePolls = 0;
  let lastSaid = 0;
  let state: InboxState | undefined;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(DISTINCT gateway_message_id)::int AS n FROM reports WHERE gateway_message_id = ANY($1::text[])',
      [acknowledgedIds],
    );
    const stored = rows[0]!.n;
    const ms = Date.now() - started;
    let readable = true;
    try {
      state = await inboxState(inbox.redis, inbox.prefix, inbox.partitions, inbox.outbound);
    } catch (err) {
      readable = false;
      say(`draining: the inbox could not be read (${err instanceof Error ? err.message : err}); trying again`);
    }
    const empty = readable && state !== undefined && state.waiting === 0 && state.repliesQueued === 0;
    idlePolls = empty ? idlePolls + 1 : 0;
    const last = state ?? { waiting: -1, dead: -1, timers: -1, repliesQueued: -1 };
    if (idlePolls >= 2)
      return { how: stored >= acknowledgedIds.length ? 'all stored, inbox empty' : 'inbox empty', ms, stored, state: last };
    if (ms > timeoutMs) return { how: 'timed out', ms, stored, state: last };
    if (ms - lastSaid >= 10_000) {
      lastSaid = ms;
      say(`draining: ${stored}/${acknowledgedIds.length} acknowledged reports stored; ${describeInbox(last)}`);
    }
    await sleep(2000);
  }
}

export function describeInbox(state: InboxState): string {
  return `inbox waiting ${state.waiting}, dead ${state.dead}, sender windows ${state.timers}; replies queued ${state.repliesQueued}`;
}

export function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}
