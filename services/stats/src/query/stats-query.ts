import { bucketStart, nextBucket, type Grain } from '@srs/core';
import { AppError } from '@srs/http';
import { z } from 'zod';

const DAY_MS = 86_400_000;
/** Longest period per grain: an hourly chart of a month, a daily one of a year and a bit, weekly of ten years. */
export const MAX_DAYS: Record<Grain, number> = { hour: 31, day: 400, week: 3660 };
const DEFAULT_DAYS = 30;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const moment = z
  .string()
  .trim()
  .refine(
    (v) => DATE_ONLY.test(v) || z.iso.datetime({ offset: true }).safeParse(v).success,
    'a date (2026-11-01) or an ISO 8601 date-time with its offset',
  )
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a real date');

export const statsQuerySchema = z.object({
  from: moment.optional(),
  to: moment.optional(),
  grain: z.enum(['hour', 'day', 'week']).default('day'),
  by: z.string().trim().default('none'),
  category: z
    .string()
    .trim()
    .regex(/^[a-z_]{1,40}$/, 'a category name as /v1/stats/meta lists them')
    .optional(),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166 two-letter code (ZZ: unknown)')
    .transform((v) => v.toUpperCase())
    .optional(),
  format: z.enum(['json', 'csv']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export interface StatsQuery {
  grain: Grain;
  /** the period, widened to whole buckets of the grain */
  from: Date;
  to: Date;
  by: string;
  filters: { category?: string; country?: string };
  format: 'json' | 'csv';
  limit: number;
}

/**
 * The period and options of a statistics request. A date as `to` includes
 * that day; a date-time is exclusive. The period is widened to whole buckets.
 */
export function parseStatsQuery(raw: unknown, acceptsCsv: boolean, now = new Date()): StatsQuery {
  const q = statsQuerySchema.parse(raw);
  const grain = q.grain;
  const toRaw = q.to
    ? DATE_ONLY.test(q.to)
      ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS)
      : new Date(q.to)
    : nextBucket('day', bucketStart('day', now));
  const fromRaw = q.from
    ? new Date(DATE_ONLY.test(q.from) ? `${q.from}T00:00:00Z` : q.from)
    : new Date(toRaw.getTime() - DEFAULT_DAYS * DAY_MS);
  const from = bucketStart(grain, fromRaw);
  const lastStart = bucketStart(grain, new Date(toRaw.getTime() - 1));
  const to = nextBucket(grain, lastStart);
  if (toRaw <= fromRaw) throw AppError.badRequest('invalid_field', 'from: must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_DAYS[grain] * DAY_MS) {
    throw AppError.badRequest(
      'period_too_long',
      `from: a ${grain} grain covers at most ${MAX_DAYS[grain]} days; choose a coarser grain or a shorter period`,
      'from',
    );
  }
  const filters: StatsQuery['filters'] = {};
  if (q.category) filters.category = q.category;
  if (q.country) filters.country = q.country;
  return { grain, from, to, by: q.by, filters, format: q.format ?? (acceptsCsv ? 'csv' : 'json'), limit: q.limit };
}
