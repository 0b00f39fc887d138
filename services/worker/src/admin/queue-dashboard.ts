import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { AppError, bearerMatches } from '@srs/http';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard (bull-board): jobs waiting, active, failed, with
 * retry and clean. Behind the deployment's admin token, as a Bearer header or
 * as the password of HTTP Basic (so a browser asks for it).
 */
export function queueDashboard(queues: Queue[], adminToken: string): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  const router = Router();
  router.use(QUEUE_DASHBOARD_PATH, requireAdmin(adminToken), dashboardPolicy, adapter.getRouter());
  return router;
}

function requireAdmin(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.header('authorization');
    const basic = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
    const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
    if (bearerMatches(header, token) || (password !== undefined && bearerMatches(`Bearer ${password}`, token))) return next();
    throw new AppError(401, 'unauthorized', 'the queue dashboard needs the admin token (ADMIN_TOKEN)', 'authorization', {
      'WWW-Authenticate': 'Basic realm="srs queues", charset="UTF-8"',
    });
  };
}

/** bull-board's page runs inline scripts and styles; the rest of the service keeps the strict policy. */
const dashboardPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'",
  );
  next();
};
