import type { Config } from '@srs/config';
import type { RunningServer } from '@srs/http';
import type { Logger } from '@srs/logging';
import { createRedis, type RedisClient } from '@srs/queue';
import { eventually } from './eventually';
import { capturingLogger } from './log-capture';
import { deleteRedisPrefix } from './redis-keys';
import { testConfig } from './test-config';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * What a test that runs a service's code in its own process stands on: a
 * database, a config with a Redis prefix of its own, and a producer
 * connection to Redis that is ready before the test sends anything through it.
 */
export interface TestContext {
  db: TestDatabase;
  config: Config;
  /** the producer connection (fail-fast), as main.ts hands it to the apps */
  redis: RedisClient;
  /** Deletes the prefix's keys, disconnects, and drops the database unless the caller handed it in. */
  close(): Promise<void>;
}

export interface TestContextOptions {
  /** variables over testConfig's (DATABASE_URL is the database's) */
  config?: Record<string, string>;
  /** a database the file already holds (several apps on one): left for the caller to drop; a fresh one when not given */
  db?: TestDatabase;
}

/** A fresh database (or the one given), its config and a ready Redis connection. */
export async function startTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const db = options.db ?? (await createTestDatabase());
  const ownDb = !options.db;
  let redis: RedisClient | undefined;
  try {
    const config = testConfig({ DATABASE_URL: db.url, ...options.config });
    redis = createRedis(config.redis.url, 'producer');
    const connected = redis;
    await eventually(
      () => connected.status,
      (s) => s === 'ready',
    );
    return {
      db,
      config,
      redis: connected,
      async close() {
        await deleteRedisPrefix(connected, config.redis.prefix);
        connected.disconnect();
        if (ownDb) await db.drop();
      },
    };
  } catch (error) {
    // A config the test meant to be refused (or a Redis that never came): nothing of this context outlives the throw.
    redis?.disconnect();
    if (ownDb) await db.drop();
    throw error;
  }
}

/** The parts a service's app is built from, as its main.ts hands them over. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  pool: TestDatabase['pool'];
  redis: RedisClient;
}

/** A service's HTTP app listening on a free port, with the context it runs on. */
export interface TestApp extends TestContext {
  server: RunningServer;
  url: string;
}

export interface TestAppOptions extends TestContextOptions {
  /** where the app logs; a capturing logger of its own when not given */
  logger?: Logger;
}

/**
 * Serves a service's app (`(deps) => listen(createStatsApp(deps), 0, '127.0.0.1')`,
 * `(deps) => startIntakeServer(deps, 0)`, …) on a fresh database and a Redis
 * prefix of its own; `close` stops it, then closes the context.
 */
export async function startTestApp(serve: (deps: AppDeps) => Promise<RunningServer>, options: TestAppOptions = {}): Promise<TestApp> {
  const context = await startTestContext(options);
  const { db, config, redis } = context;
  let server: RunningServer;
  try {
    server = await serve({ config, logger: options.logger ?? capturingLogger('app').logger, pool: db.pool, redis });
  } catch (error) {
    await context.close();
    throw error;
  }
  return {
    ...context,
    server,
    url: server.url,
    async close() {
      await server.close(1000);
      await context.close();
    },
  };
}
