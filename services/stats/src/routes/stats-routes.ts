import type { DisclosureRules } from '@srs/core';
import type { StatsMeasure, StatsRepository } from '@srs/db';
import { AppError } from '@srs/http';
import { Router, type Request, type RequestHandler } from 'express';
import { parseStatsQuery, type StatsQuery } from '../query/stats-query';
import { domainsView } from '../views/domains-view';
import { methodology } from '../views/methodology';
import { ProtectedCube } from '../views/protected-cube';
import { SeriesViews, type SeriesAnswer } from '../views/series-view';
import { summaryView } from '../views/summary-view';
import { timeToShareView } from '../views/time-to-share-view';
import { sendCsv } from './csv';

export interface StatsRoutesDeps {
  repository: StatsRepository;
  rules: DisclosureRules;
  auth: RequestHandler[];
  /** a bucket settles after this (CONVERSATION_SENDER_WINDOW_SECONDS) and a margin */
  senderWindowMs: number;
}

const MEASURES: StatsMeasure[] = ['reports', 'campaigns', 'indicators'];

function query(req: Request): StatsQuery {
  return parseStatsQuery(req.query, req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

function period(q: StatsQuery): string {
  return `${q.from.toISOString().slice(0, 10)}-${new Date(q.to.getTime() - 1).toISOString().slice(0, 10)}`;
}

/** The regulator's aggregate API: every view as JSON, or as CSV with the methodology note. */
export function statsRoutes({ repository, rules, auth, senderWindowMs }: StatsRoutesDeps): Router {
  const router = Router();
  const note = methodology(rules);
  const cube = new ProtectedCube(repository, rules, senderWindowMs);
  const series = new SeriesViews(cube, rules);

  router.get('/v1/stats/methodology', ...auth, (_req, res) => {
    res.type('text/markdown; charset=utf-8').send(`# Methodology\n\n${note.map((line) => `- ${line}`).join('\n')}\n`);
  });

  router.get('/v1/stats/meta', ...auth, async (_req, res) => {
    const meta = await repository.meta();
    res.json({
      time_zone: 'UTC',
      rules: { min_cell: rules.minCell, dominance_percent: Math.round(rules.dominance * 100) },
      grains: ['hour', 'day', 'week'],
      breakdowns: {
        reports: ['none', 'category', 'operator', 'country', 'sender_type', 'link'],
        campaigns: ['none', 'category'],
        indicators: ['none', 'category', 'type'],
      },
      categories: meta.categories,
      countries: meta.countries,
      operators: meta.operators,
      sender_types: meta.senderTypes,
      indicator_types: meta.indicatorTypes,
      link_kinds: ['none', 'link', 'shortener'],
      first_bucket: meta.firstBucket?.toISOString() ?? null,
      last_bucket: meta.lastBucket?.toISOString() ?? null,
    });
  });

  for (const measure of MEASURES) {
    router.get(`/v1/stats/${measure}`, ...auth, async (req, res) => {
      const q = query(req);
      const by = SeriesViews.validate(measure, q.grain, q.by, q.filters);
      const answer = await series.answer({ measure, grain: q.grain, from: q.from, to: q.to, by, filters: q.filters });
      if (q.format === 'json') return void res.json(answer);
      sendSeriesCsv(res, `${measure}-${answer.by}-${q.grain}-${period(q)}.csv`, note, answer);
    });
  }

  router.get('/v1/stats/domains', ...auth, async (req, res) => {
    const q = query(req);
    const answer = await domainsView(cube, rules, q);
    if (q.format === 'json') return void res.json(answer);
    sendCsv(
      res,
      `domains-${period(q)}.csv`,
      note,
      ['kind', 'name', 'tld', 'reports'],
      [...answer.domains.map((d) => ['domain', d.domain, d.tld, d.reports]), ...answer.tlds.map((t) => ['tld', t.tld, t.tld, t.reports])],
    );
  });

  router.get('/v1/stats/time-to-share', ...auth, async (req, res) => {
    const q = query(req);
    if (q.filters.country) throw AppError.badRequest('invalid_field', 'country: time to share cannot be filtered by country', 'country');
    const answer = await timeToShareView(repository, rules, q);
    if (q.format === 'json') return void res.json(answer);
    sendCsv(
      res,
      `time-to-share-${answer.grain}-${period(q)}.csv`,
      note,
      ['bucket', 'median_seconds', 'p90_seconds'],
      [
        ...answer.buckets.map((b, i) => [b, answer.median_seconds[i]!, answer.p90_seconds[i]!]),
        ['overall', answer.overall.median_seconds, answer.overall.p90_seconds],
      ],
    );
  });

  router.get('/v1/stats/summary', ...auth, async (req, res) => {
    const q = query(req);
    const answer = await summaryView(series, repository, rules, q);
    if (q.format === 'json') return void res.json(answer);
    const { filters, ...figures } = answer;
    sendCsv(
      res,
      `summary-${period(q)}.csv`,
      note,
      ['figure', 'value'],
      [
        ['category', filters.category],
        ['country', filters.country],
        ...Object.entries(figures).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]),
      ],
    );
  });

  return router;
}

function sendSeriesCsv(res: Parameters<typeof sendCsv>[0], filename: string, note: string[], answer: SeriesAnswer): void {
  const header = ['bucket', 'total', ...answer.series.map((s) => s.key)];
  const rows = answer.buckets.map((bucket, i) => [bucket, answer.total.values[i]!, ...answer.series.map((s) => s.values[i]!)]);
  sendCsv(res, filename, note, header, rows);
}
