import { bucketsBetween, bucketStart, histogramQuantile, type DisclosureRules, type Grain } from '@srs/core';
import type { StatsRepository } from '@srs/db';

export interface TimeToShareAnswer {
  grain: Grain;
  from: string;
  to: string;
  filters: { category: string | null };
  buckets: string[];
  median_seconds: Array<number | null>;
  p90_seconds: Array<number | null>;
  overall: { median_seconds: number | null; p90_seconds: number | null };
  rules: { min_cell: number; dominance_percent: number };
}

/**
 * Median and 90th percentile time from an indicator's first report to its
 * sharing, per day or week, from the delay histograms. A figure drawn from
 * fewer than min_cell indicators is suppressed; counts are not given here
 * (the indicators view gives them, protected).
 */
export async function timeToShareView(
  repository: StatsRepository,
  rules: DisclosureRules,
  query: { grain: Grain; from: Date; to: Date; filters: { category?: string } },
): Promise<TimeToShareAnswer> {
  const grain: Grain = query.grain === 'hour' ? 'day' : query.grain;
  const rows = await repository.shareDelays({
    from: query.from,
    to: query.to,
    ...(query.filters.category ? { category: query.filters.category } : {}),
  });
  const buckets = bucketsBetween(grain, query.from, query.to);
  const perBucket = new Map<number, Map<number, number>>();
  const overall = new Map<number, number>();
  for (const r of rows) {
    const b = bucketStart(grain, r.day).getTime();
    const bins = perBucket.get(b) ?? new Map<number, number>();
    bins.set(r.bin, (bins.get(r.bin) ?? 0) + r.count);
    perBucket.set(b, bins);
    overall.set(r.bin, (overall.get(r.bin) ?? 0) + r.count);
  }
  const figure = (bins: Map<number, number> | undefined, q: number): number | null => {
    const n = bins ? [...bins.values()].reduce((a, b) => a + b, 0) : 0;
    return n >= rules.minCell ? histogramQuantile(bins!, q)! : null;
  };
  return {
    grain,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    filters: { category: query.filters.category ?? null },
    buckets: buckets.map((b) => b.toISOString()),
    median_seconds: buckets.map((b) => figure(perBucket.get(b.getTime()), 0.5)),
    p90_seconds: buckets.map((b) => figure(perBucket.get(b.getTime()), 0.9)),
    overall: { median_seconds: figure(overall, 0.5), p90_seconds: figure(overall, 0.9) },
    rules: { min_cell: rules.minCell, dominance_percent: Math.round(rules.dominance * 100) },
  };
}
