import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from '@srs/db';

/** One statement a repository sent while recording: its text, its plan (when it has one) and how long it took for real. */
export interface Recorded {
  text: string;
  plan?: string;
  /** EXPLAIN ANALYZE's "Execution Time", ms */
  executionMs?: number;
  /** the statement itself, sent as the repository sent it, ms (round trip included) */
  wallMs: number;
}

/** Statements worth a plan; locks, settings and DDL-making functions are only timed. */
const EXPLAINABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
const NOT_EXPLAINED = /pg_advisory|set_config|ensure_month_partition|^\s*SELECT\s+EXISTS\s*\(SELECT 1 FROM pg_/i;
const TRANSACTION = /^\s*(BEGIN|COMMIT|ROLLBACK)\b/i;

/**
 * A pool that records the plan of every statement the repositories send
 * through it, while `recording` is on. Each statement is first explained
 * twice with EXPLAIN (ANALYZE, BUFFERS) in a transaction (or savepoint) rolled
 * back, the first run warming the cache, the second recorded; then it runs
 * for real, so the repository sees its real result.
 */
export class PlanRecorder {
  recording = false;
  statements: Recorded[] = [];

  constructor(private readonly pool: Pool) {}

  /** Records what `work` sends, and returns it with the result. */
  async record<T>(work: (pool: Pool) => Promise<T>): Promise<{ result: T; statements: Recorded[] }> {
    this.statements = [];
    this.recording = true;
    try {
      const result = await work(this.wrappedPool());
      return { result, statements: this.statements };
    } finally {
      this.recording = false;
    }
  }

  private wrappedPool(): Pool {
    const pool = this.pool;
    const wrapped = {
      query: async (text: string, params?: unknown[]) => {
        const client = await pool.connect();
        try {
          return await this.run(client, text, params, false);
        } finally {
          client.release();
        }
      },
      connect: async () => {
        const client = await pool.connect();
        let inTransaction = false;
        return new Proxy(client, {
          get: (target, prop, receiver) => {
            if (prop !== 'query') return Reflect.get(target, prop, receiver);
            return async (text: string, params?: unknown[]) => {
              if (TRANSACTION.test(text)) {
                inTransaction = /^\s*BEGIN/i.test(text);
                // Timed too: a COMMIT that drops a table removes its files.
                const started = performance.now();
                const result = await target.query(text, params);
                if (this.recording) this.statements.push({ text, wallMs: performance.now() - started });
                return result;
              }
              return this.run(target, text, params, inTransaction);
            };
          },
        });
      },
    };
    return wrapped as unknown as Pool;
  }

  private async run(client: PoolClient, text: string, params: unknown[] | undefined, inTransaction: boolean) {
    let plan: string | undefined;
    let executionMs: number | undefined;
    if (this.recording && EXPLAINABLE.test(text) && !NOT_EXPLAINED.test(text)) {
      for (let i = 0; i < 2; i++) {
        await client.query(inTransaction ? 'SAVEPOINT explain_plan' : 'BEGIN');
        try {
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
          plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        } finally {
          await client.query(inTransaction ? 'ROLLBACK TO SAVEPOINT explain_plan' : 'ROLLBACK');
        }
      }
      const match = /Execution Time: ([\d.]+) ms/.exec(plan ?? '');
      executionMs = match ? Number(match[1]) : undefined;
    }
    const started = performance.now();
    const result = await client.query(text, params);
    const wallMs = performance.now() - started;
    if (this.recording)
      this.statements.push({ text, ...(plan ? { plan } : {}), ...(executionMs !== undefined ? { executionMs } : {}), wallMs });
    return result;
  }
}
