import type { Config } from '@srs/config';
import { ApiKeysRepository, ParticipantsRepository, ping, ReportsRepository, type Pool } from '@srs/db';
import {
  authFailureLimit,
  createMetricsRegistry,
  createServiceApp,
  openApiRoutes,
  withHotRoutes,
  type Registry,
  type RequestListener,
} from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RedisClient } from '@srs/queue';
import { createInboundDeps } from './conversation/inbound-deps';
import { appReportRoutes } from './app-api/report-routes';
import { kannelHotRoute, kannelMoHandler, kannelRoutes } from './gateways/kannel/kannel-routes';
import { twilioRoutes } from './gateways/twilio/twilio-routes';
import { webhookRoutes } from './gateways/webhook/webhook-routes';
import { openApiDocument } from './openapi/document';

export interface IntakeDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** the inbox, dedup markers and rate limits (best with auto-pipelining) */
  redis: RedisClient;
  /** where the service's metrics go; a registry of its own when not given */
  metrics?: Registry;
}

/** The intake's request listener: Kannel's get-url as a hot route, every other request through express. */
export function createIntakeApp(deps: IntakeDeps): RequestListener {
  const { config, logger, pool, redis } = deps;
  const metrics = deps.metrics ?? createMetricsRegistry('intake');
  const inbound = createInboundDeps({ ...deps, metrics });
  const participants = new ParticipantsRepository(pool);
  const checks = {
    postgres: () => ping(pool),
    redis: async () => {
      await redis.ping();
    },
    // Reports of an operator the database does not know could never be stored.
    operators: async () => {
      for (const id of Object.keys(config.routing.operators)) {
        if (!(await participants.findOperator(id))) throw new Error(`unknown operator ${id}`);
      }
    },
  };
  // Counted in Redis with the other services on the same prefix: an address guessing app keys is counted wherever it guesses.
  const authFailures = authFailureLimit({
    redis,
    keyPrefix: `${config.redis.prefix}:rl:auth-failures`,
    perMinute: config.http.authFailuresPerMinute,
    logger,
  });
  const kannel = kannelMoHandler(inbound, config.intake.maxBodyBytes);
  const expressApp = createServiceApp({ logger, checks, metrics, metricsToken: config.observability.metricsToken, authFailures }, (app) => {
    // Gateways' query strings are read raw (their own encodings), never by express's parser.
    app.set('query parser', false);
    // Gateways never revalidate an acknowledgement: no ETag to hash for each one.
    app.set('etag', false);
    app.use(openApiRoutes(openApiDocument()));
    app.use(kannelRoutes(kannel, config.intake.maxBodyBytes));
    app.use(twilioRoutes(inbound, config.intake.maxBodyBytes, config.publicBaseUrl));
    app.use(webhookRoutes(inbound, config.intake.maxBodyBytes));
    app.use(appReportRoutes(inbound, new ApiKeysRepository(pool), new ReportsRepository(pool), config.intake.maxBodyBytes));
  });
  return withHotRoutes(expressApp, [kannelHotRoute(kannel)], { logger, metrics });
}
