import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRouter, type ReadinessCheck } from './health';
import { httpLogger } from './http-logger';
import { requestId } from './request-id';

/**
 * The express app every service starts from: security headers, a request id
 * on every request and log line, `/healthz` and `/readyz` with the given
 * checks; then the service's own routes; then one JSON 404 and one error
 * middleware, so every failure answers `{error: {code, message, field, requestId}}`.
 */
export function createServiceApp(options: { logger: Logger; checks: Record<string, ReadinessCheck> }, mount: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(requestId());
  app.use(httpLogger(options.logger));
  app.use(healthRouter(options.checks));
  mount(app);
  app.use(notFoundHandler());
  app.use(errorHandler(options.logger));
  return app;
}
