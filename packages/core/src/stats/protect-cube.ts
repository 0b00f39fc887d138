import type { Grain } from './buckets';
import { protectTable, type Cell, type DisclosureRules, type SumGroup } from './disclosure';

/**
 * Joint disclosure control of a whole data cube, one ISO week at a time.
 *
 * Every view of a measure (any breakdown, any filter, any grain) shows cells
 * of one cube: a cuboid (the dimensions it keeps), the values of those
 * dimensions, optionally one contributor (the per-operator view), and a time
 * bucket. Each cell gets one suppression status here, shared by every view
 * that shows it, so a cell is never hidden in one view and published in
 * another. The table protected is everything that can be asked about the
 * week at once: every cuboid with every margin (a cell is the sum of its
 * children in each finer cuboid), the contributor breakdown, and the time
 * hierarchy (a day is the sum of its hours, a week of its days).
 *
 * A level is decided once its buckets are complete (or, with `settlesWith`,
 * once the coarser bucket holding them is), in the order they settle: each
 * day together with its hours, then the week knowing its days and hours. So
 * a complete bucket's status depends on its own counts and those of buckets
 * settled before it, never on what arrives later in the week: answers given
 * at different times agree, and no two of them together reveal a hidden
 * cell. Buckets not yet settled are withheld.
 */
export interface CubeLevel {
  grain: Grain;
  /** the cuboids published at this grain */
  cuboids: readonly number[];
  /** cuboids also published per contributor (the per-operator view) */
  contributorCuboids: readonly number[];
  /** decided (and published) only when the enclosing bucket of this grain is complete, after that bucket */
  settlesWith?: Grain;
}

export interface CubeSpec {
  /** dimension names; bit i of a cuboid mask keeps dimensions[i] */
  dimensions: readonly string[];
  /** the grains published, finest first; a coarser level's cuboids include the finer one's */
  levels: readonly CubeLevel[];
}

/** One count of the rollup: a cuboid's cell in a bucket of a grain, from one contributor. */
export interface CubeRow {
  grain: Grain;
  /** bucket start, milliseconds since the epoch */
  bucket: number;
  cuboid: number;
  /** one value per dimension, '' for the dimensions the cuboid does not keep */
  values: readonly string[];
  contributor?: string;
  count: number;
}

export interface CubeCell {
  /** bucket start, milliseconds since the epoch */
  bucket: number;
  values: readonly string[];
  /** null: all contributors */
  contributor: string | null;
  value: number;
  hidden: boolean;
}

/** One week of the cube, protected: grain → cuboid → its non-zero cells of complete buckets. Zeros are published and absent. */
export interface ProtectedWeek {
  week: number;
  /** buckets ending after this instant (ms) are not complete: withheld, neither published nor suppressed */
  completeUntil: number;
  cells: Map<Grain, Map<number, CubeCell[]>>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN: Record<Grain, number> = { hour: HOUR, day: DAY, week: 7 * DAY };
const SEP = '\u0001';

interface Tally {
  level: number;
  bucket: number;
  cuboid: number;
  values: readonly string[];
  contributor: string | null;
  key: string;
  value: number;
  byContributor: Map<string, number>;
}

/** A cell's values as the cuboid keeps them: '' for every dimension it adds up. */
export function projectTo(cuboid: number, values: readonly string[]): string[] {
  return values.map((v, d) => ((cuboid & (1 << d)) === 0 ? '' : v));
}

/** The cell's name within its bucket: cuboid, values and contributor. */
export function cubeKey(cuboid: number, values: readonly string[], contributor: string | null): string {
  return `${cuboid}${SEP}${values.join(SEP)}${SEP}${contributor ?? ''}`;
}

/**
 * The sums an attacker knows between cells of one bucket: each cell of a
 * cuboid is the sum, over one more dimension, of the finer cuboid's cells;
 * each cell is the sum of its contributors' cells. `cellAt` finds a cell's
 * index by key; `add` receives (group name, parent index, child index).
 */
function cubeMarginGroups(
  level: Pick<CubeLevel, 'cuboids' | 'contributorCuboids'>,
  dimensions: number,
  cell: { cuboid: number; values: readonly string[]; contributor: string | null },
  cellAt: (key: string) => number | undefined,
  add: (group: string, parent: number, child: number) => void,
  child: number,
): void {
  const allowed = cell.contributor === null ? level.cuboids : level.contributorCuboids;
  for (let d = 0; d < dimensions; d++) {
    const bit = 1 << d;
    if ((cell.cuboid & bit) === 0) continue;
    const parentCuboid = cell.cuboid & ~bit;
    if (!allowed.includes(parentCuboid)) continue;
    const values = cell.values.slice();
    values[d] = '';
    const parentKey = cubeKey(parentCuboid, values, cell.contributor);
    const parent = cellAt(parentKey);
    if (parent !== undefined) add(`${parentKey}#${d}`, parent, child);
  }
  if (cell.contributor !== null) {
    const parentKey = cubeKey(cell.cuboid, cell.values, null);
    const parent = cellAt(parentKey);
    if (parent !== undefined) add(`${parentKey}#op`, parent, child);
  }
}

/**
 * Protects one ISO week of the cube. Each row is tallied into its own grain
 * and every coarser level that publishes its cuboid, so rows must not
 * overlap: a cuboid's rows come at the finest grain that publishes it.
 * Deterministic: the result depends on the cells only, never on row order.
 */
export function protectCubeWeek(
  week: number,
  rows: readonly CubeRow[],
  spec: CubeSpec,
  rules: DisclosureRules,
  completeUntil = Number.POSITIVE_INFINITY,
): ProtectedWeek {
  const levels = spec.levels;
  const tallies = new Map<string, Tally>();
  const tally = (level: number, bucket: number, row: CubeRow, contributor: string | null) => {
    const key = cubeKey(row.cuboid, row.values, contributor);
    const id = `${level}|${bucket}|${key}`;
    let t = tallies.get(id);
    if (!t)
      tallies.set(
        id,
        (t = { level, bucket, cuboid: row.cuboid, values: row.values, contributor, key, value: 0, byContributor: new Map() }),
      );
    t.value += row.count;
    if (row.contributor !== undefined) t.byContributor.set(row.contributor, (t.byContributor.get(row.contributor) ?? 0) + row.count);
  };
  for (const row of rows) {
    if (row.count === 0) continue;
    levels.forEach((level, l) => {
      if (SPAN[level.grain] < SPAN[row.grain] || !level.cuboids.includes(row.cuboid)) return;
      const span = SPAN[level.grain];
      const bucket = week + Math.floor((row.bucket - week) / span) * span;
      tally(l, bucket, row, null);
      if (row.contributor !== undefined && level.contributorCuboids.includes(row.cuboid)) tally(l, bucket, row, row.contributor);
    });
  }
  // By level, bucket and key: an order that depends on the cells only.
  const list = [...tallies.values()].filter((t) => t.value > 0);
  list.sort((a, b) => a.level - b.level || a.bucket - b.bucket || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const index = new Map<string, number>();
  list.forEach((t, i) => index.set(`${t.level}|${t.bucket}|${t.key}`, i));
  const settle = (l: number) => SPAN[levels[l]!.settlesWith ?? levels[l]!.grain];
  const complete = (t: Tally) => week + (Math.floor((t.bucket - week) / settle(t.level)) + 1) * settle(t.level) <= completeUntil;
  // Decision order: the levels settling first. Levels settling together (hours with their day) are decided in one
  // table: decided one after the other, the coarser first, the day's published cells together with the hours' zeros
  // could pin down a small hour (an operator's two uncommon categories both in one hour give that hour's count).
  const settles = [...new Set(levels.map((_, l) => settle(l)))].sort((a, b) => a - b);
  const step = new Map(levels.map((_, l) => [l, settles.indexOf(settle(l))]));

  const cells: Cell[] = list.map((t) => {
    const cell: Cell = { value: t.value };
    if (t.contributor === null) {
      if (t.byContributor.size > 0) cell.topShare = Math.max(...t.byContributor.values()) / t.value;
    } else {
      // The per-contributor view: a contributor holding too much of its cell is dominant there.
      const whole = tallies.get(`${t.level}|${t.bucket}|${cubeKey(t.cuboid, t.values, null)}`)!;
      cell.topShare = t.value / whole.value;
    }
    // A coarser cell is read more (a total most of all): hiding one as a complement costs more than its count says.
    cell.cost = t.value * 8 ** (spec.dimensions.length - popcount(t.cuboid));
    // Withheld until complete, so never published with a count that will still change.
    if (!complete(t)) cell.fixed = true;
    return cell;
  });

  // Groups, each with the step from which every cell it ties is in the table.
  const groups = new Map<string, { parent: number; children: number[]; step: number }>();
  const add = (name: string, parent: number, child: number) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { parent, children: [], step: step.get(list[parent]!.level)! }));
    g.children.push(child);
    g.step = Math.max(g.step, step.get(list[child]!.level)!);
  };
  list.forEach((t, i) => {
    cubeMarginGroups(
      levels[t.level]!,
      spec.dimensions.length,
      t,
      (key) => index.get(`${t.level}|${t.bucket}|${key}`),
      (name, parent, child) => add(`${t.level}|${t.bucket}|${name}`, parent, child),
      i,
    );
    // A cell is the sum of the same cell in the finer level's buckets it spans, where the finer level publishes it.
    for (let finer = t.level - 1; finer >= 0; finer--) {
      const level = levels[finer]!;
      if (!(t.contributor === null ? level.cuboids : level.contributorCuboids).includes(t.cuboid)) continue;
      const span = SPAN[level.grain];
      for (let b = t.bucket; b < t.bucket + SPAN[levels[t.level]!.grain]; b += span) {
        const child = index.get(`${finer}|${b}|${t.key}`);
        if (child !== undefined) add(`t|${t.level}|${i}`, i, child);
      }
      break;
    }
  });

  const hidden = new Uint8Array(list.length);
  for (let current = 0; current < settles.length; current++) {
    const ids = list.flatMap((t, i) => (step.get(t.level)! <= current ? [i] : []));
    const local = new Map(ids.map((id, i) => [id, i]));
    const table: Cell[] = ids.map((id) => (step.get(list[id]!.level)! < current ? { ...cells[id]!, fixed: hidden[id] === 1 } : cells[id]!));
    const tableGroups: SumGroup[] = [];
    for (const g of groups.values()) {
      if (g.step <= current) tableGroups.push({ parent: local.get(g.parent)!, children: g.children.map((c) => local.get(c)!) });
    }
    const decided = protectTable(table, tableGroups, rules);
    ids.forEach((id, i) => {
      hidden[id] = decided[i] ? 1 : 0;
    });
  }

  const out: ProtectedWeek = { week, completeUntil, cells: new Map(levels.map((l) => [l.grain, new Map()])) };
  list.forEach((t, i) => {
    if (!complete(t)) return;
    const byCuboid = out.cells.get(levels[t.level]!.grain)!;
    let cuboidCells = byCuboid.get(t.cuboid);
    if (!cuboidCells) byCuboid.set(t.cuboid, (cuboidCells = []));
    cuboidCells.push({ bucket: t.bucket, values: t.values, contributor: t.contributor, value: t.value, hidden: hidden[i] === 1 });
  });
  return out;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m > 0; m &= m - 1) n++;
  return n;
}
