import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The package root, from src/dashboard (tests, tsx) as from dist/dashboard
 * (the built service): both are two levels below it.
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
export const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'public');

/**
 * Chart.js's browser bundle. Its package.json `exports` does not list
 * dist/chart.umd.js, so resolve the package's main entry (dist/chart.cjs) and
 * take the bundle beside it.
 */
function chartJsBundle(): string {
  const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
  if (!existsSync(file)) throw new Error(`Chart.js browser bundle not found at ${file}`);
  return file;
}

/**
 * The regulators' dashboard: a static page under /dashboard/ that calls the
 * statistics API with the regulator's key (the page itself is public, the data
 * is not), Chart.js beside it, and / sending browsers there. Scripts are files
 * of the same origin, so helmet's default Content-Security-Policy holds.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  const chartJs = chartJsBundle();
  router.get('/', (_req, res) => {
    res.redirect(302, '/dashboard/');
  });
  router.get('/dashboard/vendor/chart.umd.js', (_req, res, next) => {
    res.sendFile(chartJs, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next(err);
    });
  });
  router.use(
    '/dashboard',
    express.static(DASHBOARD_DIR, {
      index: 'index.html',
      redirect: true,
      // The page and its script change together with the API: always revalidate.
      maxAge: 0,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
