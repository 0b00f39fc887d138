import { loadConfig } from '@srs/config';
import { createPool } from '@srs/db';
import { createMetricsRegistry, listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { createSharingApp } from './app';
import { startWebhooks } from './webhooks/start-webhooks';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'sharing-api', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-sharing-api' });
  const redis = createRedis(config.redis, 'producer');
  const metrics = createMetricsRegistry('sharing-api');
  const webhooks = startWebhooks({ config, logger, pool, options: config.sharing.webhooks, metrics });
  const shutdown = new AbortController();
  const server = await listen(
    createSharingApp({ config, logger, pool, redis, webhooks, shutdown: shutdown.signal, metrics }),
    config.sharing.port,
    config.http.host,
  );
  logger.info({ url: server.url }, 'sharing API listening');
  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    // Open streams end first, or closing the server would wait for them.
    shutdown.abort();
    await server.close(config.http.shutdownTimeoutMs - 1000);
    await webhooks.close();
    redis.disconnect();
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
