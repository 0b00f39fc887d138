import { loadConfig } from '@srs/config';
import { createPool, migrate, ping, type Pool } from '@srs/db';
import { createMetricsRegistry, createServiceApp, listen, onShutdown } from '@srs/http';
import { createLogger, type Logger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { queueDashboard } from './admin/queue-dashboard';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-worker' });
  const applied = await migrateWhenReachable(pool, logger);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');

  const workerRedis = createRedis(config.redis, 'worker');
  const producerRedis = createRedis(config.redis, 'producer');
  const markerRedis = createRedis(config.redis, 'producer', { enableAutoPipelining: true });
  const metrics = createMetricsRegistry('worker');
  const running = startWorkers({ config, logger, pool, workerRedis, producerRedis, markerRedis, metrics });

  const checks = {
    postgres: () => ping(pool),
    // Both fail fast when not connected: the worker is not ready until each is.
    redis: async () => {
      await Promise.all([producerRedis.ping(), markerRedis.ping()]);
    },
  };
  const adminToken = config.observability.adminToken;
  const health = createServiceApp({ logger, checks, metrics, metricsToken: config.observability.metricsToken }, (app) => {
    if (adminToken) app.use(queueDashboard(running.queues, adminToken));
  });
  const server = await listen(health, config.worker.healthPort, config.http.host);
  logger.info({ url: server.url, concurrency: config.worker.concurrency }, 'worker running');

  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    await running.close();
    await server.close(1000);
    workerRedis.disconnect();
    producerRedis.disconnect();
    markerRedis.disconnect();
    await pool.end();
  });
}

/** PostgreSQL down at start (a restart during an outage) is waited out, not a crash loop; anything else stops the worker. */
async function migrateWhenReachable(pool: Pool, logger: Logger): Promise<number[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(pool);
    } catch (err) {
      const unreachable =
        err instanceof Error &&
        /ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout|terminated|the database system is (starting|shutting) up/i.test(err.message);
      if (!unreachable) throw err;
      logger.warn({ err, attempt }, 'PostgreSQL unreachable; retrying the migrations');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
    }
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
