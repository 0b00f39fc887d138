import { createHmac } from 'node:crypto';
import type { Config } from '@srs/config';
import { ApiKeysRepository, ping, StatsRepository, type Pool } from '@srs/db';
import { authFailureLimit, createMetricsRegistry, createServiceApp, openApiRoutes, rejectNulInUrl, type Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { Express } from 'express';
import type { RedisClient } from '@srs/queue';
import { regulatorAuth } from './access/regulator-auth';
import { dashboardRoutes } from './dashboard/dashboard-routes';
import { openApiDocument } from './openapi/document';
import { liveRoutes } from './routes/live-routes';
import { statsRoutes } from './routes/stats-routes';

export interface StatsDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /**
   * Where the statistics are read (a streaming replica, DATABASE_REPLICA_URL):
   * they only read, and a few seconds of replication lag do not matter to
   * them. `pool` when not given; keys are always checked on `pool`.
   */
  readPool?: Pool;
  /** rate limits */
  redis: RedisClient;
  /** aborted at shutdown, so open live streams end */
  shutdown?: AbortSignal;
  /** where the service's metrics go; a registry of its own when not given */
  metrics?: Registry;
}

const MAX_LIVE_STREAMS = 100;

/** The regulator statistics service: aggregates with disclosure control, as JSON, CSV and a live stream, and the dashboard. */
export function createStatsApp(deps: StatsDeps): Express {
  const { config, logger, pool, redis, shutdown } = deps;
  const repository = new StatsRepository(deps.readPool ?? pool);
  const rules = { minCell: config.stats.minCell, dominance: config.stats.dominance };
  const auth = regulatorAuth({
    keys: new ApiKeysRepository(pool),
    redis,
    prefix: config.redis.prefix,
    perMinute: config.stats.rateLimitPerMinute,
    logger,
  });
  const readPool = deps.readPool;
  const checks = {
    postgres: () => ping(pool),
    ...(readPool ? { postgres_replica: () => ping(readPool) } : {}),
    redis: async () => {
      await redis.ping();
    },
  };
  const metrics = deps.metrics ?? createMetricsRegistry('stats');
  // Its own key, derived from a secret the deployment keeps anyway: knowing the key would take the noise off.
  const noiseKey = createHmac('sha256', config.privacy.msisdnHmacKey).update('srs:stats:live-noise').digest();
  // Counted in Redis, so every instance (and every service) knows an address guessing keys.
  const authFailures = authFailureLimit({
    redis,
    keyPrefix: `${config.redis.prefix}:rl:auth-failures`,
    perMinute: config.http.authFailuresPerMinute,
    logger,
  });
  return createServiceApp({ logger, checks, metrics, metricsToken: config.observability.metricsToken, authFailures }, (app) => {
    app.use(rejectNulInUrl());
    app.use(openApiRoutes(openApiDocument()));
    app.use(dashboardRoutes());
    app.use(statsRoutes({ repository, rules, auth, senderWindowMs: config.conversation.senderWindowMs }));
    app.use(
      liveRoutes({
        repository,
        noiseKey,
        auth,
        logger,
        intervalMs: config.stats.liveIntervalMs,
        maxStreams: MAX_LIVE_STREAMS,
        ...(shutdown ? { signal: shutdown } : {}),
      }),
    );
  });
}
