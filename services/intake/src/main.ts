import { loadConfig } from '@srs/config';
import { createPool } from '@srs/db';
import { onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { startIntakeServer } from './server';
import { warnIfRedisIsNotDurable } from './redis-durability';
import { openKannelConnections } from './gateways/kannel/kannel-auth';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'intake', level: config.logLevel });
  const open = openKannelConnections(config);
  if (open.length > 0) {
    const advice =
      'set a token (KANNEL_MO_TOKEN, or moToken in INTAKE_ROUTES) or the addresses of its smsbox (KANNEL_MO_ALLOW_FROM, allowFrom)';
    if (config.env === 'production') throw new Error(`Kannel connection ${open.join(', ')} would take MO messages from anyone: ${advice}`);
    logger.warn({ connections: open }, `these Kannel connections take MO messages from anyone: ${advice}`);
  }
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-intake' });
  // Auto-pipelining: the one write of each of many concurrent messages goes out together.
  const redis = createRedis(config.redis, 'producer', { enableAutoPipelining: true });
  const server = await startIntakeServer({ config, logger, pool, redis });
  logger.info({ url: server.url }, 'intake listening');
  const onReady = () => void warnIfRedisIsNotDurable(redis, logger);
  if (redis.status === 'ready') onReady();
  else redis.once('ready', onReady);

  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    await server.close(config.http.shutdownTimeoutMs - 1000);
    redis.disconnect();
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
