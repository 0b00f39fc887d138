import type { Queue, Worker } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Queue depth by state, read from Redis when Prometheus scrapes, and job
 * durations and failures as the workers finish them.
 */
export function observeQueues(registry: Registry, queues: Queue[]): void {
  new Gauge({
    name: 'srs_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        try {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
        } catch {
          // Redis unreachable: the readiness check says so; the scrape still answers.
        }
      }
    },
  });
}

export function observeWorkers(registry: Registry, workers: Worker[]): void {
  const duration = new Histogram({
    name: 'srs_job_duration_seconds',
    help: 'Time a job took to run, by queue, job name and result',
    labelNames: ['queue', 'job', 'result'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'srs_job_failures_total',
    help: 'Failed job attempts, by queue and job name (retried until its attempts are spent)',
    labelNames: ['queue', 'job'] as const,
    registers: [registry],
  });
  for (const worker of workers) {
    worker.on('completed', (job) => {
      if (job.processedOn && job.finishedOn)
        duration.observe({ queue: worker.name, job: job.name, result: 'completed' }, (job.finishedOn - job.processedOn) / 1000);
    });
    worker.on('failed', (job) => {
      failures.inc({ queue: worker.name, job: job?.name ?? 'unknown' });
      if (job?.processedOn && job.finishedOn)
        duration.observe({ queue: worker.name, job: job.name, result: 'failed' }, (job.finishedOn - job.processedOn) / 1000);
    });
  }
}
