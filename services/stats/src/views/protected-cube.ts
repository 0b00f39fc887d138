import {
  bucketStart,
  cubeKey,
  nextBucket,
  projectTo,
  protectCubeWeek,
  REPORT_CUBOIDS,
  type CubeCell,
  type CubeRow,
  type CubeSpec,
  type DisclosureRules,
  type Grain,
  type ProtectedWeek,
} from '@srs/core';
import { cubeDimensions, type StatsMeasure, type StatsRepository } from '@srs/db';

const HOUR = 3_600_000;
/**
 * A bucket is settled once it has ended and the reports received in it are
 * counted: a report is counted when its conversation is over (the sender
 * window) and the worker has rolled it up, so settling waits the sender
 * window and this margin more.
 */
const SETTLE_MARGIN_MS = 5 * 60_000;
const CACHED_WEEKS = 512;

/** Every cuboid of a cube of n dimensions. */
const allCuboids = (n: number) => Array.from({ length: 1 << n }, (_, mask) => mask);

/**
 * What each measure publishes at each grain. Reports by the hour come in
 * totals, by category and by operator (per category too); finer hourly
 * breakdowns would be nearly all small counts. Hours are decided with their
 * day, in one table, so that no day's cells and the hours' zeros together
 * pin down a small hour: an hour is published once its day is complete (the
 * live counters cover the hour now).
 */
export function cubeSpecOf(measure: StatsMeasure): CubeSpec {
  const dimensions = cubeDimensions(measure);
  if (measure === 'reports') {
    const perOperator = [0, 1, 2, 3];
    return {
      dimensions,
      levels: [
        { grain: 'hour', cuboids: [0, 1], contributorCuboids: [0, 1], settlesWith: 'day' },
        { grain: 'day', cuboids: REPORT_CUBOIDS, contributorCuboids: [0, 1] },
        { grain: 'week', cuboids: REPORT_CUBOIDS, contributorCuboids: perOperator },
      ],
    };
  }
  const cuboids = allCuboids(dimensions.length);
  return {
    dimensions,
    levels: [
      { grain: 'hour', cuboids, contributorCuboids: [], settlesWith: 'day' },
      { grain: 'day', cuboids, contributorCuboids: [] },
      { grain: 'week', cuboids, contributorCuboids: [] },
    ],
  };
}

/**
 * Domains, as a cube over category (bit 1), origin country (bit 2), TLD
 * (bit 4) and domain (bit 8): every view lists the domains and TLDs of one
 * filter, so a domain's cells add up across categories and countries, and a
 * TLD's are the sum of its domains'. Weekly only, as the rollup keeps them.
 */
export const DOMAIN_CUBE: CubeSpec = {
  dimensions: ['category', 'country', 'tld', 'domain'],
  levels: [{ grain: 'week', cuboids: [4, 5, 6, 7, 12, 13, 14, 15], contributorCuboids: [] }],
};

/** One protected week, with its cells found by grain, bucket and name. */
export class ProtectedCubeWeek {
  private readonly byName = new Map<string, CubeCell>();

  constructor(readonly week: ProtectedWeek) {
    for (const [grain, byCuboid] of week.cells) {
      for (const [cuboid, cells] of byCuboid)
        for (const c of cells) this.byName.set(`${grain}|${c.bucket}|${cubeKey(cuboid, c.values, c.contributor)}`, c);
    }
  }

  cell(grain: Grain, bucket: number, cuboid: number, values: readonly string[], contributor: string | null): CubeCell | undefined {
    return this.byName.get(`${grain}|${bucket}|${cubeKey(cuboid, values, contributor)}`);
  }

  cells(grain: Grain, cuboid: number): readonly CubeCell[] {
    return this.week.cells.get(grain)?.get(cuboid) ?? [];
  }
}

/**
 * The cube of each measure, protected one ISO week at a time and kept: a
 * week's protection is computed once per state of its complete buckets, and
 * every view (any breakdown, filter, grain, JSON or CSV) reads its cells from
 * it, so they all agree.
 */
export class ProtectedCube {
  private readonly weeks = new Map<string, Promise<ProtectedCubeWeek>>();

  constructor(
    private readonly repository: StatsRepository,
    private readonly rules: DisclosureRules,
    /** how long a subscriber has to send the sender after reporting (CONVERSATION_SENDER_WINDOW_SECONDS) */
    private readonly senderWindowMs: number,
  ) {}

  /** The instant up to which buckets are settled: an hour boundary, the sender window and a margin ago. */
  completeUntil(now: Date): number {
    return Math.floor((now.getTime() - this.senderWindowMs - SETTLE_MARGIN_MS) / HOUR) * HOUR;
  }

  /** The protected weeks covering [from, to), by week start (ms). */
  async weeksOf(measure: StatsMeasure | 'domains', from: Date, to: Date, now = new Date()): Promise<Map<number, ProtectedCubeWeek>> {
    const until = this.completeUntil(now);
    const first = bucketStart('week', from);
    const versions = await this.repository.weekVersions(measure, first, new Date(Math.min(to.getTime(), until)));
    const out = new Map<number, ProtectedCubeWeek>();
    for (let week = first; week < to; week = nextBucket('week', week)) {
      const start = week.getTime();
      const weekUntil = Math.min(until, nextBucket('week', week).getTime());
      const key = `${measure}|${start}|${weekUntil}|${versions.get(start) ?? 'empty'}`;
      let entry = this.weeks.get(key);
      if (!entry) {
        entry = this.compute(measure, week, weekUntil);
        this.weeks.set(key, entry);
        entry.catch(() => this.weeks.delete(key));
        if (this.weeks.size > CACHED_WEEKS) this.weeks.delete(this.weeks.keys().next().value!);
      }
      out.set(start, await entry);
    }
    return out;
  }

  private async compute(measure: StatsMeasure | 'domains', week: Date, until: number): Promise<ProtectedCubeWeek> {
    const end = nextBucket('week', week);
    if (measure === 'domains') {
      const rows: CubeRow[] = [];
      for (const r of await this.repository.domainCubeRows(week, end)) {
        const values = [r.category, r.country, r.tld, r.domain];
        for (const cuboid of [r.cuboid | 4, r.cuboid | 12]) {
          rows.push({
            grain: 'week',
            bucket: week.getTime(),
            cuboid,
            values: projectTo(cuboid, values),
            contributor: r.contributor,
            count: r.count,
          });
        }
      }
      return new ProtectedCubeWeek(protectCubeWeek(week.getTime(), rows, DOMAIN_CUBE, this.rules, until));
    }
    const spec = cubeSpecOf(measure);
    const hourly = spec.levels[0]!.cuboids;
    const rows: CubeRow[] = [];
    if (measure === 'reports') {
      // Each cuboid at the finest grain that publishes it: hours for the hourly ones, days for the rest.
      for (const r of await this.repository.cubeRows(measure, 'hour', week, end, hourly)) rows.push({ ...r, grain: 'hour' });
      const daily = REPORT_CUBOIDS.filter((c) => !hourly.includes(c));
      for (const r of await this.repository.cubeRows(measure, 'day', week, end, daily)) rows.push({ ...r, grain: 'day' });
    } else {
      // Campaigns and indicators keep only their finest cells: every cuboid is a sum of them.
      for (const r of await this.repository.cubeRows(measure, 'hour', week, end)) {
        for (const cuboid of hourly) rows.push({ ...r, grain: 'hour', cuboid, values: projectTo(cuboid, r.values) });
      }
    }
    return new ProtectedCubeWeek(protectCubeWeek(week.getTime(), rows, spec, this.rules, until));
  }
}
