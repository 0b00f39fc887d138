import { bucketStart, bucketsBetween, nextBucket, type CubeCell, type DisclosureRules, type Grain } from '@srs/core';
import { cubeDimensions, measureDimensions, type StatsMeasure } from '@srs/db';
import { AppError } from '@srs/http';
import { cubeSpecOf, type ProtectedCube, type ProtectedCubeWeek } from './protected-cube';

type Filters = Partial<Record<'category' | 'country', string>>;

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
  /** the sum of the published cells: a lower bound when any is suppressed or not yet complete */
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
  /** buckets ending after this (hours: whose day ends after this) are not complete yet: null, and not counted as suppressed */
  complete_until: string;
  total: SeriesLine;
  series: Array<SeriesLine & { key: string; label: string }>;
  rules: { min_cell: number; dominance_percent: number };
}

/** The cuboid (bit mask of the cube's dimensions) holding exactly these dimensions. */
function cuboidOf(measure: StatsMeasure, dimensions: readonly string[]): number {
  const all = cubeDimensions(measure);
  return dimensions.reduce((mask, d) => mask | (1 << all.indexOf(d)), 0);
}

/**
 * Time series of a measure with disclosure control. Every view is a set of
 * cells of the measure's cube, read from its joint protection: the totals
 * are the cuboid of the filters, a breakdown the cuboid one dimension finer
 * (or the per-operator cells), each cell with the one status it has in every
 * view. So no combination of answers reveals what any of them hides.
 */
export class SeriesViews {
  constructor(
    private readonly cube: ProtectedCube,
    private readonly rules: DisclosureRules,
  ) {}

  static validate(measure: StatsMeasure, grain: Grain, by: string, filters: Filters): string | null {
    const dimensions = measureDimensions(measure);
    if (by !== 'none' && !dimensions.includes(by)) {
      throw AppError.badRequest('invalid_field', `by: ${measure} break down by none, ${dimensions.join(', ')}`, 'by');
    }
    for (const name of Object.keys(filters)) {
      if (!dimensions.includes(name)) throw AppError.badRequest('invalid_field', `${name}: ${measure} cannot be filtered by ${name}`, name);
    }
    const level = cubeSpecOf(measure).levels.find((l) => l.grain === grain)!;
    const filterCuboid = cuboidOf(measure, Object.keys(filters));
    if (!level.cuboids.includes(filterCuboid) && !level.contributorCuboids.includes(filterCuboid)) {
      const name = Object.keys(filters).find((f) => !level.cuboids.includes(cuboidOf(measure, [f])))!;
      throw AppError.badRequest('invalid_field', `${name}: ${measure} by the ${grain} cannot be filtered by ${name}; use grain=day`, name);
    }
    const published =
      by === 'none' ||
      (by === 'operator'
        ? level.contributorCuboids.includes(filterCuboid)
        : level.cuboids.includes(cuboidOf(measure, [...Object.keys(filters), by])));
    if (!published)
      throw AppError.badRequest(
        'invalid_field',
        `by: ${measure} by the ${grain} are not broken down by ${by}${Object.keys(filters).length ? ' with these filters' : ''}; use grain=day`,
        'by',
      );
    return by === 'none' ? null : by;
  }

  async answer(request: SeriesRequest, now = new Date()): Promise<SeriesAnswer> {
    const weeks = await this.cube.weeksOf(request.measure, request.from, request.to, now);
    const dimensions = cubeDimensions(request.measure);
    const filterNames = Object.keys(request.filters) as Array<keyof Filters>;
    const totalCuboid = cuboidOf(request.measure, filterNames);
    const filterValues = dimensions.map((d) => request.filters[d as keyof Filters] ?? '');
    const buckets = bucketsBetween(request.grain, request.from, request.to);
    const level = cubeSpecOf(request.measure).levels.find((l) => l.grain === request.grain)!;
    const settlesWith = level.settlesWith ?? request.grain;
    const until = this.cube.completeUntil(now);

    const line = (pick: (week: ProtectedCubeWeek, bucket: number) => CubeCell | undefined): SeriesLine => {
      const values: Array<number | null> = [];
      const suppressed: boolean[] = [];
      let published = 0;
      let hiddenCount = 0;
      for (const b of buckets) {
        const week = weeks.get(bucketStart('week', b).getTime());
        if (!week || nextBucket(settlesWith, bucketStart(settlesWith, b)).getTime() > until) {
          values.push(null);
          suppressed.push(false);
          continue;
        }
        const cell = pick(week, b.getTime());
        const hidden = cell?.hidden ?? false;
        values.push(hidden ? null : (cell?.value ?? 0));
        suppressed.push(hidden);
        if (hidden) hiddenCount++;
        else published += cell?.value ?? 0;
      }
      return { values, suppressed, published_sum: published, suppressed_cells: hiddenCount };
    };

    const total = line((week, bucket) => week.cell(request.grain, bucket, totalCuboid, filterValues, null));
    const series: SeriesAnswer['series'] = [];
    if (request.by !== null) {
      const byOperator = request.by === 'operator';
      const cuboid = byOperator ? totalCuboid : cuboidOf(request.measure, [...filterNames, request.by]);
      const position = dimensions.indexOf(request.by);
      const matches = (c: CubeCell) =>
        (byOperator ? c.contributor !== null : c.contributor === null) && filterValues.every((v, d) => v === '' || c.values[d] === v);
      const keys = new Set<string>();
      for (const week of weeks.values())
        for (const c of week.cells(request.grain, cuboid)) if (matches(c)) keys.add(byOperator ? c.contributor! : c.values[position]!);
      for (const key of keys) {
        const values = byOperator ? filterValues : filterValues.map((v, d) => (d === position ? key : v));
        series.push({
          key,
          label: key,
          ...line((week, bucket) => week.cell(request.grain, bucket, cuboid, values, byOperator ? key : null)),
        });
      }
      series.sort((a, b) => b.published_sum - a.published_sum || a.key.localeCompare(b.key));
    }
    return {
      measure: request.measure,
      grain: request.grain,
      by: request.by ?? 'none',
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      filters: { category: request.filters.category ?? null, country: request.filters.country ?? null },
      buckets: buckets.map((b) => b.toISOString()),
      complete_until: new Date(until).toISOString(),
      total,
      series,
      rules: { min_cell: this.rules.minCell, dominance_percent: Math.round(this.rules.dominance * 100) },
    };
  }
}
