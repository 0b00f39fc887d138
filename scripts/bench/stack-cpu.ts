import type { Pool } from '@srs/db';
import type { RedisClient } from '@srs/queue';
import { cpuSeconds, redisCpuSeconds } from './process-stats';

/** CPU seconds used so far by each part of the stack that does a worker's work. */
export interface StackCpu {
  worker: number;
  postgres: number;
  redis: number;
}

/**
 * Where the CPU of a run went, read before and after it: the worker process
 * from /proc, the PostgreSQL backends connected to the bench's database (they
 * run on this machine: loopback) from /proc, and Redis from its own INFO. A
 * backend that ends during the run takes its time with it; the worker keeps
 * its pool open, so its backends last.
 */
export async function stackCpu(workerPid: number | undefined, pool: Pool, redis: RedisClient): Promise<StackCpu | undefined> {
  const worker = cpuSeconds(workerPid);
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const backends = rows.map((r) => cpuSeconds(r.pid));
  const redisSeconds = await redisCpuSeconds(redis);
  if (worker === undefined || backends.some((b) => b === undefined) || !Number.isFinite(redisSeconds)) return undefined;
  return { worker, postgres: backends.reduce((a: number, b) => a + b!, 0), redis: redisSeconds };
}

/** Microseconds of each part per item between two readings; a backend that started in between counts from zero. */
export function cpuPerItem(before: StackCpu, after: StackCpu, items: number): StackCpu {
  const per = (a: number, b: number) => ((b - a) * 1e6) / items;
  return {
    worker: per(before.worker, after.worker),
    postgres: per(before.postgres, after.postgres),
    redis: per(before.redis, after.redis),
  };
}
