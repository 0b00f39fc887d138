import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { failureOf, jsonErrorBody } from './error-handler';
import { logAccess } from './http-logger';
import { requestDurations, type Registry } from './metrics';
import { requestIdFrom } from './request-id';
import { securityHeaders } from './security-headers';

/** A GET as a hot route sees it: the raw query string, its headers and where it came from. */
export interface HotRequest {
  id: string;
  method: string;
  path: string;
  /** everything after `?`, undecoded */
  rawQuery: string;
  header(name: string): string | undefined;
  remoteAddress: string | undefined;
}

export interface HotRoute {
  /** the exact path served (GET only); any other spelling, method or body goes to express */
  path: string;
  /** the status and JSON body of the answer; failures are thrown (AppError, ZodError), as in an express route */
  handle(req: HotRequest): Promise<{ status: number; body: unknown }>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * GET routes served on Node's own request and response, ahead of express, for an
 * endpoint a machine calls once per message of the traffic itself (a gateway
 * delivering each SMS). Express's router with helmet's and the shared
 * middlewares, and `res.json`, cost as much CPU as the route's own work
 * (docs/PERFORMANCE.md, the intake against its ceiling). A hot route keeps
 * what every answer of the service carries (request id, security headers,
 * latency histogram, access log, the one JSON error with its request id) and
 * skips the rest; every other request goes to `app`.
 */
export function withHotRoutes(app: RequestListener, routes: HotRoute[], options: { logger: Logger; metrics: Registry }): RequestListener {
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const durations = requestDurations(options.metrics);
  const headers = securityHeaders();
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const route = req.method === 'GET' ? byPath.get(path) : undefined;
    if (!route) return app(req, res);
    const started = process.hrtime.bigint();
    const hot: HotRequest = {
      id: requestIdFrom(headerOf(req, 'x-request-id')),
      method: 'GET',
      path,
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      header: (name) => headerOf(req, name),
      remoteAddress: req.socket.remoteAddress,
    };
    const answer = (status: number, body: unknown, extra: OutgoingHttpHeaders = {}) => {
      const json = JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
        ...extra,
        'X-Request-Id': hot.id,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(json),
      });
      res.end(json);
      durations.observe({ method: 'GET', route: route.path, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
      logAccess(options.logger, hot, status, started);
    };
    // The request has no body to wait for: a GET's handler runs at once.
    route
      .handle(hot)
      .then(({ status, body }) => answer(status, body))
      .catch((err: unknown) => {
        const failure = failureOf(err, options.logger, hot);
        if (!res.headersSent) answer(failure.status, jsonErrorBody(failure, hot.id), failure.headers);
      });
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
