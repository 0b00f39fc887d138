import type { Config } from '@srs/config';
import { ApiKeysRepository, FeedRepository, ping, type Pool } from '@srs/db';
import { errorHandler, healthRouter, httpLogger, notFoundHandler, requestId, requireApiKey } from '@srs/http';
import type { Logger } from '@srs/logging';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { feedRoutes } from './feed/feed-routes';

export interface SharingDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
}

/** The operator-sharing API: what the consortium learned, for operators' SMS firewalls. */
export function createSharingApp(deps: SharingDeps): Express {
  const { config, logger, pool } = deps;
  const keys = new ApiKeysRepository(pool);
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(requestId());
  app.use(httpLogger(logger));
  app.use(healthRouter({ postgres: () => ping(pool) }));
  const read = requireApiKey(async (prefix) => {
    const key = await keys.findActiveByPrefix(prefix);
    // Operators read the feed; regulators have their own service.
    return key?.operatorId ? key : undefined;
  }, 'read');
  app.use(feedRoutes(new FeedRepository(pool), config, read));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
