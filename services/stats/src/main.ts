import { loadConfig } from '@srs/config';
import { createPool } from '@srs/db';
import { listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { createStatsApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'stats', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-stats' });
  const replicaUrl = config.database.replicaUrl;
  const readPool = replicaUrl ? createPool({ url: replicaUrl, max: config.database.poolSize, applicationName: 'srs-stats' }) : undefined;
  const redis = createRedis(config.redis, 'producer');
  const shutdown = new AbortController();
  const server = await listen(
    createStatsApp({ config, logger, pool, ...(readPool ? { readPool } : {}), redis, shutdown: shutdown.signal }),
    config.stats.port,
    config.http.host,
  );
  logger.info({ url: server.url, dashboard: `${server.url}/dashboard/` }, 'regulator statistics listening');
  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    // Live streams end first, or closing the server would wait for them.
    shutdown.abort();
    await server.close(config.http.shutdownTimeoutMs - 1000);
    redis.disconnect();
    await pool.end();
    await readPool?.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
