import type { Config } from '@srs/config';
import {
  ApiKeysRepository,
  AuditRepository,
  FeedRepository,
  ParticipantsRepository,
  ping,
  RpzRepository,
  SharingRepository,
  TaxiiRepository,
  type Pool,
} from '@srs/db';
import { authFailureLimit, createMetricsRegistry, createServiceApp, openApiRoutes, rejectNulInUrl, type Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { Express } from 'express';
import type { RedisClient } from '@srs/queue';
import { feedRoutes } from './feed/feed-routes';
import { openApiDocument } from './openapi/document';
import { publishRoutes } from './publish/publish-routes';
import { streamRoutes } from './stream/stream-routes';
import { isTaxiiPath, TAXII_MOUNT, taxiiRoutes } from './taxii/taxii-routes';
import type { RunningWebhooks } from './webhooks/start-webhooks';
import { webhookRoutes } from './webhooks/webhook-routes';
import { auditLog } from './tenancy/audit-log';
import { tenantAuth } from './tenancy/tenant-auth';
import { rpzRoutes } from './rpz/rpz-routes';
import { portalRoutes } from './portal/portal-routes';
import { keyRoutes } from './keys/key-routes';

export interface SharingDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** rate limits */
  redis: RedisClient;
  /** the running webhook dispatcher and delivery worker: mounts /v1/webhooks and /v1/stream */
  webhooks?: RunningWebhooks;
  /** aborted at shutdown, so open streams end and clients reconnect elsewhere */
  shutdown?: AbortSignal;
  /** where the service's metrics go; a registry of its own when not given */
  metrics?: Registry;
}

/** The operator-sharing API: what the consortium learned, for operators' SMS firewalls. */
export function createSharingApp(deps: SharingDeps): Express {
  const { config, logger, pool, redis, webhooks, shutdown } = deps;
  const auth = tenantAuth({
    keys: new ApiKeysRepository(pool),
    redis,
    prefix: config.redis.prefix,
    perMinute: config.sharing.rateLimitPerMinute,
    logger,
  });
  const checks = {
    postgres: () => ping(pool),
    redis: async () => {
      await redis.ping();
    },
  };
  const metrics = deps.metrics ?? createMetricsRegistry('sharing-api');
  // Shared through Redis with every instance and every service on the same prefix: an address guessing keys is counted wherever it guesses.
  const authFailures = authFailureLimit({
    redis,
    keyPrefix: `${config.redis.prefix}:rl:auth-failures`,
    perMinute: config.http.authFailuresPerMinute,
    logger,
  });
  return createServiceApp({ logger, checks, metrics, metricsToken: config.observability.metricsToken, authFailures }, (app) => {
    // The TAXII router makes the same check itself, so that a TAXII client reads the refusal as a TAXII error message.
    const nulInUrl = rejectNulInUrl();
    app.use((req, res, next) => (isTaxiiPath(req.path) ? next() : nulInUrl(req, res, next)));
    app.use(openApiRoutes(openApiDocument()));
    app.use(auditLog(new AuditRepository(pool), logger));
    app.use(feedRoutes(new FeedRepository(pool), config, auth('read')));
    app.use(portalRoutes(new FeedRepository(pool), new ParticipantsRepository(pool), config, auth('read')));
    app.use(
      rpzRoutes({
        zones: new RpzRepository(pool),
        idKey: config.sharing.idKey,
        bearer: auth('read'),
        lookup: auth.lookup,
        used: auth.used,
        limit: auth.limit,
      }),
    );
    app.use(
      publishRoutes(new SharingRepository(pool), config, { publish: auth('publish'), feedback: auth('feedback'), read: auth('read') }),
    );
    app.use(keyRoutes({ keys: new ApiKeysRepository(pool), auth: auth('admin'), logger }));
    app.use(
      TAXII_MOUNT,
      taxiiRoutes({
        repositories: {
          taxii: new TaxiiRepository(pool),
          participants: new ParticipantsRepository(pool),
          sharing: new SharingRepository(pool),
        },
        config,
        logger,
        findApiKey: auth.lookup,
        keyUsed: auth.used,
        afterAuth: [auth.limit],
        chargeObjects: auth.limit.charge,
      }),
    );
    if (webhooks) {
      app.use(webhookRoutes({ webhooks, auth: { read: auth('read'), admin: auth('admin') } }));
      app.use(
        streamRoutes({
          reader: webhooks.reader,
          changes: webhooks.changes,
          ids: webhooks.ids,
          auth: auth('read'),
          logger,
          options: {
            pollMs: config.sharing.stream.pollMs,
            maxStreams: config.sharing.stream.maxConnections,
            maxPerOperator: config.sharing.stream.maxPerOperator,
          },
          ...(shutdown ? { signal: shutdown } : {}),
        }),
      );
    }
  });
}
