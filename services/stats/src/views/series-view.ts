import { bucketsBetween, bucketStart, cuboidOf, nextBucket, protectSeries, TOTAL, type DisclosureRules, type Grain, type ProtectedSeries } from '@srs/core';
import { measureDimensions, type StatsMeasure, type StatsRepository } from '@srs/db';
import { AppError } from '@srs/http';

/** Filters nest in this order: a view filtered by both is a cell of the view filtered by category alone, broken down by country. */
const FILTER_ORDER = ['category', 'country'] as const;
type Filters = Partial<Record<(typeof FILTER_ORDER)[number], string>>;

export interface SeriesRequest {
  measure: StatsMeasure;
  grain: Grain;
  from: Date;
  to: Date;
  /** breakdown, or null for totals only */
  by: string | null;
  filters: Filters;
}

export interface SeriesLine {
  values: Array<number | null>;
  suppressed: boolean[];
  /** the sum of the published cells: a lower bound when any is suppressed */
  published_sum: number;
  suppressed_cells: number;
}

export interface SeriesAnswer {
  measure: StatsMeasure;
  grain: Grain;
  by: string;
  from: string;
  to: string;
  filters: { category: string | null; country: string | null };
  buckets: string[];
  total: SeriesLine;
  series: Array<SeriesLine & { key: string; label: string }>;
  rules: { min_cell: number; dominance_percent: number };
}

/**
 * Time series of a measure with disclosure control. Every view is protected
 * over whole ISO weeks, and agrees with the views it is a part of: a view
 * broken down by category shows the same totals, hidden or not, as the totals
 * view; a view filtered by category shows as its totals the cells the
 * category view shows. So no two answers together reveal what each hides.
 */
export class SeriesViews {
  /** per instance: one request's views share their parents */
  private readonly memo = new Map<string, Promise<ProtectedSeries>>();

  constructor(
    private readonly repository: StatsRepository,
    private readonly rules: DisclosureRules,
  ) {}

  static validate(measure: StatsMeasure, by: string, filters: Filters): string | null {
    const dimensions = measureDimensions(measure);
    if (by !== 'none' && !dimensions.includes(by)) {
      throw AppError.badRequest('invalid_field', `by: ${measure} break down by none, ${dimensions.join(', ')}`, 'by');
    }
    for (const name of Object.keys(filters)) {
      if (!dimensions.includes(name)) throw AppError.badRequest('invalid_field', `${name}: ${measure} cannot be filtered by ${name}`, name);
    }
    return by === 'none' ? null : by;
  }

  async answer(request: SeriesRequest): Promise<SeriesAnswer> {
    const series = await this.protectedSeries(request.measure, request.grain, request.from, request.to, request.by, request.filters);
    return shape(request, series, this.rules);
  }

  /** The protected cells of the weeks covering the period, at the grain and every coarser one. */
  protectedSeries(measure: StatsMeasure, grain: Grain, from: Date, to: Date, by: string | null, filters: Filters): Promise<ProtectedSeries> {
    const weekFrom = bucketStart('week', from);
    const weekTo = nextBucket('week', bucketStart('week', new Date(to.getTime() - 1)));
    const signature = JSON.stringify([measure, grain, weekFrom, weekTo, by, FILTER_ORDER.map((f) => filters[f] ?? null)]);
    let result = this.memo.get(signature);
    if (!result) {
      result = this.compute(measure, grain, weekFrom, weekTo, by, filters);
      this.memo.set(signature, result);
    }
    return result;
  }

  private async compute(measure: StatsMeasure, grain: Grain, from: Date, to: Date, by: string | null, filters: Filters): Promise<ProtectedSeries> {
    const last = [...FILTER_ORDER].reverse().find((f) => filters[f] !== undefined);
    let fixedTotals: ProtectedSeries | undefined;
    if (last) {
      const rest = { ...filters };
      delete rest[last];
      fixedTotals = column(await this.protectedSeries(measure, grain, from, to, last, rest), filters[last]!);
    } else if (by !== null) {
      fixedTotals = await this.protectedSeries(measure, grain, from, to, null, {});
    }
    const rows = await this.repository.counts({
      measure,
      grain,
      from,
      to,
      by,
      filters: filters as Record<string, string>,
      ...(measure === 'reports' ? { cuboid: cuboidOf([...Object.keys(filters), ...(by === null || by === 'operator' ? [] : [by])]) } : {}),
    });
    return protectSeries(rows, {
      grain,
      rules: this.rules,
      dominance: measure !== 'reports' ? 'none' : by === 'operator' ? 'row_share' : 'contributors',
      ...(fixedTotals ? { fixedTotals } : {}),
    });
  }
}

/** One value's cells of a view, as the totals of the view filtered to it. */
function column(series: ProtectedSeries, key: string): ProtectedSeries {
  const out: ProtectedSeries = new Map();
  for (const [grain, buckets] of series) {
    const copy = new Map<number, Map<string, { value: number; hidden: boolean }>>();
    for (const [bucket, keys] of buckets) {
      const cell = keys.get(key);
      if (cell) copy.set(bucket, new Map([[TOTAL, cell]]));
    }
    out.set(grain, copy);
  }
  return out;
}

function shape(request: SeriesRequest, series: ProtectedSeries, rules: DisclosureRules): SeriesAnswer {
  const buckets = bucketsBetween(request.grain, request.from, request.to);
  const cells = series.get(request.grain) ?? new Map();
  const line = (key: string): SeriesLine => {
    const values: Array<number | null> = [];
    const suppressed: boolean[] = [];
    let published = 0;
    let hiddenCount = 0;
    for (const b of buckets) {
      const cell = cells.get(b.getTime())?.get(key);
      const hidden = cell?.hidden ?? false;
      values.push(hidden ? null : (cell?.value ?? 0));
      suppressed.push(hidden);
      if (hidden) hiddenCount++;
      else published += cell?.value ?? 0;
    }
    return { values, suppressed, published_sum: published, suppressed_cells: hiddenCount };
  };
  const keys = new Set<string>();
  for (const b of buckets) for (const key of cells.get(b.getTime())?.keys() ?? []) if (key !== TOTAL) keys.add(key);
  const lines = [...keys]
    .map((key) => ({ key, label: key, ...line(key) }))
    .sort((a, b) => b.published_sum - a.published_sum || a.key.localeCompare(b.key));
  return {
    measure: request.measure,
    grain: request.grain,
    by: request.by ?? 'none',
    from: request.from.toISOString(),
    to: request.to.toISOString(),
    filters: { category: request.filters.category ?? null, country: request.filters.country ?? null },
    buckets: buckets.map((b) => b.toISOString()),
    total: line(TOTAL),
    series: request.by === null ? [] : lines,
    rules: { min_cell: rules.minCell, dominance_percent: Math.round(rules.dominance * 100) },
  };
}
