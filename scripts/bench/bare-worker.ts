import { performance } from 'node:perf_hooks';
import type { Pool } from '@srs/db';
import { createRedis, queuePrefix } from '@srs/queue';
import { Queue, Worker } from 'bullmq';
// The worker's own micro-batcher, so the ceiling batches its inserts as the worker does.
import { MicroBatcher } from '../../services/worker/src/index';

/** The bench corpus as the bare worker gets it: one report-sized row per job. */
export interface BareJob {
  reporter: string;
  text: string;
}

/**
 * The worker's ceiling: a bare BullMQ worker at the same concurrency, whose
 * jobs (queued before it starts, as in the real worker's run) are each one
 * row, inserted with the rows of the jobs running beside it in one statement.
 * Nothing else: no contract, no dedup, no reference, no analysis, no reply.
 * Answers jobs completed per second.
 */
export async function bareWorkerCeiling(
  redisUrl: string,
  prefix: string,
  pool: Pool,
  jobs: BareJob[],
  concurrency: number,
): Promise<number> {
  const name = 'bare-worker';
  const producer = createRedis(redisUrl, 'producer');
  const consumer = createRedis(redisUrl, 'worker');
  const queue = new Queue(name, { connection: producer, prefix: queuePrefix(prefix, name) });
  await pool.query(
    'CREATE TABLE bench_bare_worker (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, reporter text, body text, received_at timestamptz)',
  );
  try {
    for (let i = 0; i < jobs.length; i += 1000) {
      await queue.addBulk(jobs.slice(i, i + 1000).map((data) => ({ name: 'row', data, opts: { removeOnComplete: true } })));
    }
    const inserts = new MicroBatcher(async (rows: BareJob[]) => {
      await pool.query(
        'INSERT INTO bench_bare_worker (reporter, body, received_at) SELECT r, b, now() FROM unnest($1::text[], $2::text[]) AS v(r, b)',
        [rows.map((r) => r.reporter), rows.map((r) => r.text)],
      );
      return rows.map(() => undefined);
    }, concurrency);
    let completed = 0;
    let allDone: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    const started = performance.now();
    const worker = new Worker(name, async (job) => inserts.add(job.data as BareJob), {
      connection: consumer,
      prefix: queuePrefix(prefix, name),
      concurrency,
    });
    // Counted once BullMQ has finished the job, as the real worker's run counts its queue.
    worker.on('completed', () => {
      if (++completed === jobs.length) allDone();
    });
    await finished;
    const perSecond = jobs.length / ((performance.now() - started) / 1000);
    await worker.close();
    return perSecond;
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
    await pool.query('DROP TABLE IF EXISTS bench_bare_worker');
  }
}
