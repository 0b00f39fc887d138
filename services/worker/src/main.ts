import { loadConfig } from '@srs/config';
import { createPool, migrate, ping } from '@srs/db';
import { createMetricsRegistry, createServiceApp, listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { queueDashboard } from './admin/queue-dashboard';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-worker' });
  const applied = await migrate(pool);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');

  const workerRedis = createRedis(config.redis.url, 'worker');
  const producerRedis = createRedis(config.redis.url, 'producer');
  const metrics = createMetricsRegistry('worker');
  const running = startWorkers({ config, logger, pool, workerRedis, producerRedis, metrics });

  const checks = {
    postgres: () => ping(pool),
    redis: async () => {
      await producerRedis.ping();
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
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
