import { loadConfig } from '@srs/config';
import { createPool } from '@srs/db';
import { createMetricsRegistry, listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { createSharingApp } from './app';
import { listenForChanges } from './stream/change-notices';
import { startWebhooks } from './webhooks/start-webhooks';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'sharing-api', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-sharing-api' });
  const redis = createRedis(config.redis, 'producer');
  const metrics = createMetricsRegistry('sharing-api');
  // One listening connection: every open stream and the webhook dispatcher wake when a change commits.
  const listening = listenForChanges({ databaseUrl: config.database.url, logger, metrics });
  const webhooks = startWebhooks({ config, logger, pool, options: config.sharing.webhooks, metrics, changes: listening.changes });
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
    await listening.close();
    redis.disconnect();
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
