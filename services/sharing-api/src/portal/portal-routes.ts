import path from 'node:path';
import type { Config } from '@srs/config';
import type { FeedRepository } from '@srs/db';
import express, { Router, type RequestHandler } from 'express';
import { NOW_WINDOW, serialiseRecentCampaign } from './serialise-now';

/**
 * The package root, from src/portal (tests, tsx) as from dist/portal (the
 * built service): both are two levels below it.
 */
export const PORTAL_DIR = path.join(path.resolve(__dirname, '..', '..'), 'public');

/**
 * The operators' portal: a static page under /portal/ that calls this API
 * with the operator's key (the page is public, the data is not), and the
 * JSON it draws. Scripts are files of the same origin, so helmet's default
 * Content-Security-Policy holds.
 */
export function portalRoutes(feed: FeedRepository, config: Pick<Config, 'scoring'>, auth: RequestHandler[]): Router {
  const router = Router();

  router.get('/v1/portal/now', ...auth, async (req, res) => {
    const rows = await feed.recentCampaigns({
      viewer: req.apiKey!.operatorId!,
      sampleMinReporters: config.scoring.shareTextMinReporters,
    });
    res
      .set('Cache-Control', 'no-store')
      .json({ hours: NOW_WINDOW.hours, growth_hours: NOW_WINDOW.growthHours, data: rows.map(serialiseRecentCampaign) });
  });

  router.use(
    '/portal',
    express.static(PORTAL_DIR, {
      index: 'index.html',
      redirect: true,
      // The page and its script change together with the API: always revalidate.
      maxAge: 0,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
