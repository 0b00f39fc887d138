import type { Pool } from '@srs/db';
import type { Queue } from 'bullmq';
import { say, sleep } from './util';

export interface DrainResult {
  how: 'all stored' | 'queue empty' | 'timed out';
  ms: number;
  /** the reports queue when the wait ended */
  queue: Record<string, number>;
}

const PENDING_STATES = ['wait', 'active', 'delayed', 'prioritized', 'paused'] as const;

/**
 * Waits until the worker has stored every acknowledged message's report, or
 * until the reports queue holds nothing it could still run (three polls in a
 * row: a job of a SIGKILLed worker stays "active" until its lock expires and
 * the stalled-job check hands it to the new worker, up to a minute later).
 */
export async function waitForWorker(pool: Pool, queue: Queue, acknowledgedIds: string[], timeoutMs: number): Promise<DrainResult> {
  const started = Date.now();
  let idlePolls = 0;
  let lastSaid = 0;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(DISTINCT gateway_message_id)::int AS n FROM reports WHERE gateway_message_id = ANY($1::text[])',
      [acknowledgedIds],
    );
    const stored = rows[0]!.n;
    const counts = await queue.getJobCounts(...PENDING_STATES, 'failed');
    const pending = PENDING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
    const ms = Date.now() - started;
    if (stored >= acknowledgedIds.length) return { how: 'all stored', ms, queue: counts };
    idlePolls = pending === 0 ? idlePolls + 1 : 0;
    if (idlePolls >= 3) return { how: 'queue empty', ms, queue: counts };
    if (ms > timeoutMs) return { how: 'timed out', ms, queue: counts };
    if (ms - lastSaid >= 10_000) {
      lastSaid = ms;
      say(`draining: ${stored}/${acknowledgedIds.length} acknowledged reports stored; queue ${describe(counts)}`);
    }
    await sleep(2000);
  }
}

export function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}
