import path from 'node:path';
import { ensurePostgres } from './postgres';
import type { LocalService, Log } from './processes';
import { ensureRedis } from './redis';

export interface LocalServices {
  started: LocalService[];
  stop(): Promise<void>;
}

/** The project root: where `.data/` lives. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, '.data');

/**
 * Starts local PostgreSQL and Redis where the configured URLs do not answer;
 * stops only those it started. No `redisUrl` (a Redis Cluster is configured):
 * Redis is left to its operator.
 */
export async function ensureLocalServices(
  urls: { databaseUrl: string; redisUrl?: string },
  options: { dataDir?: string; log?: Log } = {},
): Promise<LocalServices> {
  const dataDir = path.resolve(PROJECT_ROOT, options.dataDir ?? DEFAULT_DATA_DIR);
  const log = options.log ?? ((line) => console.log(line));
  const started: LocalService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop();
  };
  const results = await Promise.allSettled([
    urls.redisUrl === undefined ? Promise.resolve(undefined) : ensureRedis(urls.redisUrl, dataDir, log),
    ensurePostgres(urls.databaseUrl, dataDir, log),
  ]);
  for (const result of results) if (result.status === 'fulfilled' && result.value) started.push(result.value);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return { started, stop };
}
