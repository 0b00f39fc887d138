import type { Pool } from '@srs/db';
import type { Queue } from 'bullmq';
import { say, sleep } from './util';

export interface DrainResult {
  how: 'all stored, queue empty' | 'queue empty' | 'timed out';
  ms: number;
  /** acknowledged reports found stored when the wait ended */
  stored: number;
  /** the reports queue when the wait ended */
  queue: Record<string, number>;
}

const PENDING_STATES = ['wait', 'active', 'delayed', 'prioritized', 'paused'] as const;

/**
 * Waits until the reports queue holds nothing the worker could still run (two
 * polls in a row), so that the count sees every rerun too: a job of a
 * SIGKILLed worker stays "active" until its lock expires and the stalled-job
 * check hands it to the new worker, up to a minute later, and a rerun of a job
 * whose report is already stored must not store it again.
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
    idlePolls = pending === 0 ? idlePolls + 1 : 0;
    if (idlePolls >= 2)
      return { how: stored >= acknowledgedIds.length ? 'all stored, queue empty' : 'queue empty', ms, stored, queue: counts };
    if (ms > timeoutMs) return { how: 'timed out', ms, stored, queue: counts };
    if (ms - lastSaid >= 10_000) {
      lastSaid = ms;
      say(`draining: ${stored}/${acknowledgedIds.length} acknowledged reports stored; reports queue ${describe(counts)}`);
    }
    await sleep(2000);
  }
}

export function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}
