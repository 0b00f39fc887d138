import { bucketStart, type Grain } from './buckets';
import { protectTable, type Cell, type DisclosureRules, type SumGroup } from './disclosure';

/** The total of each bucket, beside the breakdown's values. */
export const TOTAL = '*';

/** One count of the rollup at the finest grain fetched: hours for an hourly view, days otherwise. */
export interface CountRow {
  /** bucket start, as a Date or in milliseconds since the epoch */
  bucket: Date | number;
  /** the breakdown value ('*' when the view has no breakdown) */
  key: string;
  /** who the count comes from (an operator), for the dominance rule */
  contributor?: string;
  count: number;
}

export interface ProtectedCell {
  value: number;
  hidden: boolean;
}

/** grain → bucket start (ms) → key ('*' for the total) → cell */
export type ProtectedSeries = Map<Grain, Map<number, Map<string, ProtectedCell>>>;

export interface SeriesOptions {
  grain: Grain;
  rules: DisclosureRules;
  /**
   * `contributors`: a cell is dominated when one contributor holds too much of it.
   * `row_share`: the breakdown is by contributor (per-operator view), so a value
   * is dominated when it holds too much of its bucket's total.
   * `none`: no contributors (campaigns, indicators).
   */
  dominance: 'contributors' | 'row_share' | 'none';
  /**
   * The totals as another view published them, which this one must agree with
   * (a filtered view's total is a cell of the unfiltered view by that filter).
   */
  fixedTotals?: ProtectedSeries;
}

const LEVELS: Record<Grain, Grain[]> = { week: ['week'], day: ['week', 'day'], hour: ['week', 'day', 'hour'] };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Buckets of each grain in one week, and the milliseconds each spans. */
const SPAN: Record<Grain, { count: number; ms: number }> = { week: { count: 1, ms: 7 * DAY }, day: { count: 7, ms: DAY }, hour: { count: 168, ms: HOUR } };

/**
 * Counts per bucket and breakdown value with disclosure control, consistent
 * across grains: a week is protected first, then its days knowing what the
 * week shows, then their hours. Each ISO week is one independent table, so
 * what is hidden never depends on the period a caller asked for, and asking
 * for other periods reveals nothing more. The rows must cover whole weeks.
 */
export function protectSeries(rows: readonly CountRow[], options: SeriesOptions): ProtectedSeries {
  const levels = LEVELS[options.grain];
  const keys = [TOTAL, ...new Set(rows.map((r) => r.key).filter((k) => k !== TOTAL))];
  const keyIndex = new Map(keys.map((k, i) => [k, i]));
  const contributors = new Map<string, number>();
  for (const r of rows) if (r.contributor !== undefined && !contributors.has(r.contributor)) contributors.set(r.contributor, contributors.size);

  const weeks = new Map<number, CountRow[]>();
  for (const row of rows) {
    const week = bucketStart('week', +row.bucket).getTime();
    const list = weeks.get(week);
    if (list) list.push(row);
    else weeks.set(week, [row]);
  }
  const result: ProtectedSeries = new Map(levels.map((g) => [g, new Map()]));
  for (const [weekStart, weekRows] of weeks) {
    const week = new WeekTally(weekStart, levels, keys.length, contributors.size);
    for (const row of weekRows) week.add(+row.bucket, keyIndex.get(row.key)!, row.contributor === undefined ? -1 : contributors.get(row.contributor)!, row.count);
    const hidden = new Uint8Array(week.size);
    for (let depth = 0; depth < levels.length; depth++) {
      const table = week.table(depth + 1, hidden, options);
      const decided = protectTable(table.cells, table.groups, options.rules);
      table.ids.forEach((id, i) => {
        hidden[id] = decided[i] ? 1 : 0;
      });
    }
    week.levels.forEach((grain, level) => {
      const out = result.get(grain)!;
      for (let b = 0; b < SPAN[grain].count; b++) {
        const cells = new Map<string, ProtectedCell>();
        for (let k = 0; k < keys.length; k++) {
          const id = week.id(level, b, k);
          if (week.totals[id]! > 0) cells.set(keys[k]!, { value: week.totals[id]!, hidden: hidden[id] === 1 });
        }
        if (cells.size > 0) out.set(week.bucketTime(level, b), cells);
      }
    });
  }
  return result;
}

/** One week's counts at every level, in flat arrays: cell id = level offset + bucket × keys + key (key 0 is the total). */
class WeekTally {
  readonly size: number;
  readonly totals: Float64Array;
  private readonly offsets: number[];
  /** cell id × contributors + contributor → count, for the dominance rule */
  private readonly byContributor = new Map<number, number>();

  constructor(
    private readonly start: number,
    readonly levels: Grain[],
    private readonly keyCount: number,
    private readonly contributorCount: number,
  ) {
    this.offsets = [];
    let size = 0;
    for (const g of levels) {
      this.offsets.push(size);
      size += SPAN[g].count * keyCount;
    }
    this.size = size;
    this.totals = new Float64Array(size);
  }

  id(level: number, bucket: number, key: number): number {
    return this.offsets[level]! + bucket * this.keyCount + key;
  }

  bucketTime(level: number, bucket: number): number {
    return this.start + bucket * SPAN[this.levels[level]!].ms;
  }

  add(at: number, key: number, contributor: number, count: number): void {
    for (let level = 0; level < this.levels.length; level++) {
      const bucket = Math.floor((at - this.start) / SPAN[this.levels[level]!].ms);
      for (const k of key === 0 ? [0] : [key, 0]) {
        const id = this.id(level, bucket, k);
        this.totals[id]! += count;
        if (contributor >= 0) {
          const c = id * this.contributorCount + contributor;
          this.byContributor.set(c, (this.byContributor.get(c) ?? 0) + count);
        }
      }
    }
  }

  private topShare(id: number, rowTotal: number, isTotal: boolean, mode: SeriesOptions['dominance']): number | undefined {
    const value = this.totals[id]!;
    if (mode === 'none' || value === 0) return undefined;
    if (mode === 'row_share' && !isTotal) return rowTotal > 0 ? value / rowTotal : undefined;
    let top = 0;
    for (let c = 0; c < this.contributorCount; c++) top = Math.max(top, this.byContributor.get(id * this.contributorCount + c) ?? 0);
    return top > 0 ? top / value : undefined;
  }

  /**
   * The non-zero cells of the first `depth` levels and the sums tying them:
   * each bucket's values add up to its total, and each bucket's cells add up
   * to the enclosing coarser bucket's. Cells of coarser levels are decided.
   */
  table(depth: number, hidden: Uint8Array, options: SeriesOptions): { ids: number[]; cells: Cell[]; groups: SumGroup[] } {
    const ids: number[] = [];
    const cells: Cell[] = [];
    const local = new Int32Array(this.size).fill(-1);
    for (let level = 0; level < depth; level++) {
      const grain = this.levels[level]!;
      const decided = level < depth - 1;
      for (let b = 0; b < SPAN[grain].count; b++) {
        const rowTotal = this.totals[this.id(level, b, 0)]!;
        for (let k = 0; k < this.keyCount; k++) {
          const id = this.id(level, b, k);
          if (this.totals[id] === 0) continue;
          const cell: Cell = { value: this.totals[id]! };
          const share = this.topShare(id, rowTotal, k === 0, options.dominance);
          if (share !== undefined) cell.topShare = share;
          const fixed = decided ? hidden[id] === 1 : k === 0 ? fixedTotal(options.fixedTotals, grain, this.bucketTime(level, b)) : undefined;
          if (fixed !== undefined) cell.fixed = fixed;
          local[id] = cells.length;
          ids.push(id);
          cells.push(cell);
        }
      }
    }
    const groups: SumGroup[] = [];
    for (let level = 0; level < depth; level++) {
      const grain = this.levels[level]!;
      for (let b = 0; b < SPAN[grain].count; b++) {
        const children: number[] = [];
        for (let k = 1; k < this.keyCount; k++) if (local[this.id(level, b, k)]! >= 0) children.push(local[this.id(level, b, k)]!);
        if (children.length > 0) groups.push({ parent: local[this.id(level, b, 0)]!, children });
      }
      if (level === 0) continue;
      const per = SPAN[grain].count / SPAN[this.levels[level - 1]!].count;
      for (let p = 0; p < SPAN[this.levels[level - 1]!].count; p++) {
        for (let k = 0; k < this.keyCount; k++) {
          const parent = local[this.id(level - 1, p, k)]!;
          if (parent < 0) continue;
          const children: number[] = [];
          for (let b = p * per; b < (p + 1) * per; b++) if (local[this.id(level, b, k)]! >= 0) children.push(local[this.id(level, b, k)]!);
          groups.push({ parent, children });
        }
      }
    }
    return { ids, cells, groups };
  }
}

function fixedTotal(fixed: ProtectedSeries | undefined, grain: Grain, bucket: number): boolean | undefined {
  if (!fixed) return undefined;
  // A total the other view does not hold is a zero there, and zeros are published.
  return fixed.get(grain)?.get(bucket)?.get(TOTAL)?.hidden ?? false;
}
