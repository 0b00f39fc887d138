import { loadConfig } from '@srs/config';
import { createPool } from '@srs/db';
import { listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createSharingApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'sharing-api', level: config.logLevel });
  const pool = createPool({ url: config.database.url, max: config.database.poolSize, applicationName: 'srs-sharing-api' });
  const server = await listen(createSharingApp({ config, logger, pool }), config.sharing.port, config.http.host);
  logger.info({ url: server.url }, 'sharing API listening');
  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    await server.close(config.http.shutdownTimeoutMs - 1000);
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
