import { loadConfig } from '../packages/config/src';
import { ensureLocalServices } from '../packages/devstack/src';

/**
 * Integration tests talk to the real PostgreSQL and Redis at DATABASE_URL and
 * REDIS_URL (the services' defaults). When none answers there, start local
 * ones exactly as `npm start` does, and stop them afterwards.
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig(process.env);
  process.env.DATABASE_URL = config.database.url;
  process.env.REDIS_URL = config.redis.url;
  if (!config.devstack.startLocalServices) return;
  const services = await ensureLocalServices(
    { databaseUrl: config.database.url, redisUrl: config.redis.url },
    { dataDir: config.devstack.dataDir, log: (line) => console.log(`[test services] ${line}`) },
  );
  (globalThis as { __srsLocalServices?: typeof services }).__srsLocalServices = services;
}
