import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { AppError } from './app-error';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'srs_';

/**
 * prom-client's gauges of all active handles, requests and resources are
 * named `_total`, which Prometheus keeps for counters (`promtool check
 * metrics` flags them). The same counts by type stay, as
 * `srs_nodejs_active_handles` and its siblings: the total is their sum.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** One registry per service: process metrics (memory, CPU, event loop, GC) and whatever the service adds, labelled with its name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(`${PREFIX}${name}`);
  return registry;
}

/**
 * Request latency by method, route pattern and status. The route is the
 * pattern express matched (`/v1/stats/:measure`), never the raw path, so the
 * number of series stays bounded whatever clients send.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const histogram = requestDurations(registry);
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? 'unmatched' : 'other';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

const REQUEST_DURATION = 'srs_http_request_duration_seconds';

/** The registry's request-latency histogram (one per registry, whichever router serves the request). */
export function requestDurations(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  const existing = registry.getSingleMetric(REQUEST_DURATION);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: REQUEST_DURATION,
    help: 'HTTP request latency, from the first byte received to the response finished',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/** `GET /metrics` in Prometheus text format; with a token, only for `Authorization: Bearer <token>`. */
export function metricsRoute(registry: Registry, token?: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (token && !bearerMatches(req.header('authorization'), token)) {
      throw new AppError(401, 'unauthorized', 'metrics need Authorization: Bearer <METRICS_TOKEN>', 'authorization', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
