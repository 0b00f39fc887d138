import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { authFailureLimit, DEFAULT_AUTH_FAILURES_PER_MINUTE, type AuthFailureLimit } from './auth-failure-limit';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRouter, type ReadinessCheck } from './health';
import { httpLogger } from './http-logger';
import { httpMetrics, metricsRoute, type Registry } from './metrics';
import { requestId } from './request-id';
import { securityMiddleware } from './security-headers';

/**
 * The express app every service starts from: security headers, a request id
 * on every request and log line, `/healthz` and `/readyz` with the given
 * checks, `/metrics` for Prometheus with request latencies; then the
 * service's own routes (their API-key checks limit failed authentications per
 * client address: `authFailures`, by default 20 a minute counted in the
 * process); then one JSON 404 and one error middleware, so every
 * failure answers `{error: {code, message, field, requestId}}`. No CORS
 * headers: browsers on other origins cannot call the APIs.
 */
export function createServiceApp(
  options: {
    logger: Logger;
    checks: Record<string, ReadinessCheck>;
    metrics: Registry;
    metricsToken?: string | undefined;
    authFailures?: AuthFailureLimit;
  },
  mount: (app: Express) => void,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityMiddleware());
  app.use(requestId());
  app.use(httpMetrics(options.metrics));
  app.use(httpLogger(options.logger));
  app.use(healthRouter(options.checks));
  app.use(metricsRoute(options.metrics, options.metricsToken));
  const authFailures = options.authFailures ?? authFailureLimit({ perMinute: DEFAULT_AUTH_FAILURES_PER_MINUTE, logger: options.logger });
  app.use((req, _res, next) => {
    req.authFailures = authFailures;
    next();
  });
  mount(app);
  app.use(notFoundHandler());
  app.use(errorHandler(options.logger));
  return app;
}
