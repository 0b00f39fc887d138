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
 * hierarchy (a week is the sum of its days, a day of its hours). Levels are
 * decided top-down, week first, then its days knowing what the week shows,
 * then their hours, so what a day-grain view hides never depends on whether
 * hours were asked; at each level the exact check of `protectTable` runs on
 * the joint linear system of every cell decided so far.
 */
export interface CubeSpec {
  /** dimension names; bit i of a cuboid mask keeps dimensions[i] */
  dimensions: readonly string[];
  /** the cuboids published */
  cuboids: readonly number[];
  /** cuboids also published per contributor (the per-operator view) */
  contributorCuboids: readonly number[];
}

/** One count of the rollup: a cuboid's cell at the finest grain fetched, from one contributor. */
export interface CubeRow {
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

/** One week of the cube, protected: grain → cuboid → its non-zero cells. Zeros are published and absent. */
export interface ProtectedWeek {
  week: number;
  levels: Grain[];
  cells: Map<Grain, Map<number, CubeCell[]>>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEVELS: Record<Grain, Grain[]> = { week: ['week'], day: ['week', 'day'], hour: ['week', 'day', 'hour'] };
const SPAN: Record<Grain, number> = { week: 7 * DAY, day: DAY, hour: HOUR };
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
export function cubeMarginGroups(
  spec: CubeSpec,
  cell: { cuboid: number; values: readonly string[]; contributor: string | null },
  cellAt: (key: string) => number | undefined,
  add: (group: string, parent: number, child: number) => void,
  child: number,
): void {
  const allowed = cell.contributor === null ? spec.cuboids : spec.contributorCuboids;
  for (let d = 0; d < spec.dimensions.length; d++) {
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
 * Protects one ISO week of the cube. `rows` hold the week's counts at
 * `grain` (hours for an hourly view, days otherwise), every cuboid of the
 * spec; coarser levels are their sums. Deterministic: the result depends on
 * the cells only, never on row order.
 */
export function protectCubeWeek(week: number, rows: readonly CubeRow[], spec: CubeSpec, grain: Grain, rules: DisclosureRules): ProtectedWeek {
  const levels = LEVELS[grain];
  const contributorCuboids = new Set(spec.contributorCuboids);
  const tallies = new Map<string, Tally>();
  const tally = (level: number, bucket: number, row: CubeRow, contributor: string | null) => {
    const key = cubeKey(row.cuboid, row.values, contributor);
    const id = `${level}|${bucket}|${key}`;
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = { level, bucket, cuboid: row.cuboid, values: row.values, contributor, key, value: 0, byContributor: new Map() }));
    t.value += row.count;
    if (row.contributor !== undefined) t.byContributor.set(row.contributor, (t.byContributor.get(row.contributor) ?? 0) + row.count);
  };
  for (const row of rows) {
    if (row.count === 0) continue;
    for (let level = 0; level < levels.length; level++) {
      const bucket = week + Math.floor((row.bucket - week) / SPAN[levels[level]!]) * SPAN[levels[level]!];
      tally(level, bucket, row, null);
      if (row.contributor !== undefined && contributorCuboids.has(row.cuboid)) tally(level, bucket, row, row.contributor);
    }
  }
  // Coarser levels first (so each level's table is a prefix), then by bucket and key: an order that depends on the cells only.
  const list = [...tallies.values()].filter((t) => t.value > 0);
  list.sort((a, b) => a.level - b.level || a.bucket - b.bucket || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const index = new Map<string, number>();
  list.forEach((t, i) => index.set(`${t.level}|${t.bucket}|${t.key}`, i));

  const cells: Cell[] = list.map((t) => {
    const cell: Cell = { value: t.value };
    if (t.contributor === null) {
      if (t.byContributor.size > 0) cell.topShare = Math.max(...t.byContributor.values()) / t.value;
    } else {
      // The per-contributor view: a contributor holding too much of its cell is dominant there.
      const whole = tallies.get(`${t.level}|${t.bucket}|${cubeKey(t.cuboid, t.values, null)}`)!;
      cell.topShare = t.value / whole.value;
    }
    return cell;
  });

  // Groups, each with the deepest level it touches, so each level's table takes those it can hold.
  const groups = new Map<string, { parent: number; children: number[]; level: number }>();
  const add = (name: string, parent: number, child: number, level: number) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { parent, children: [], level }));
    g.children.push(child);
  };
  list.forEach((t, i) => {
    cubeMarginGroups(
      spec,
      t,
      (key) => index.get(`${t.level}|${t.bucket}|${key}`),
      (name, parent, child) => add(`${t.level}|${t.bucket}|${name}`, parent, child, t.level),
      i,
    );
    if (t.level > 0) {
      const span = SPAN[levels[t.level - 1]!];
      const parentBucket = week + Math.floor((t.bucket - week) / span) * span;
      const parent = index.get(`${t.level - 1}|${parentBucket}|${t.key}`);
      if (parent !== undefined) add(`t|${t.level}|${parent}`, parent, i, t.level);
    }
  });

  const hidden = new Uint8Array(list.length);
  for (let depth = 0; depth < levels.length; depth++) {
    let end = 0;
    while (end < list.length && list[end]!.level <= depth) end++;
    const table: Cell[] = cells.slice(0, end).map((c, i) => (list[i]!.level < depth ? { ...c, fixed: hidden[i] === 1 } : c));
    const tableGroups: SumGroup[] = [];
    for (const g of groups.values()) if (g.level <= depth) tableGroups.push({ parent: g.parent, children: g.children });
    const decided = protectTable(table, tableGroups, rules);
    for (let i = 0; i < end; i++) hidden[i] = decided[i] ? 1 : 0;
  }

  const out: ProtectedWeek = { week, levels, cells: new Map(levels.map((g) => [g, new Map()])) };
  list.forEach((t, i) => {
    const byCuboid = out.cells.get(levels[t.level]!)!;
    let cuboidCells = byCuboid.get(t.cuboid);
    if (!cuboidCells) byCuboid.set(t.cuboid, (cuboidCells = []));
    cuboidCells.push({ bucket: t.bucket, values: t.values, contributor: t.contributor, value: t.value, hidden: hidden[i] === 1 });
  });
  return out;
}

/** Every cuboid's rows from rows of the finest cuboid (all dimensions kept), for measures whose rollup keeps only that one. */
export function expandToCuboids(rows: ReadonlyArray<Omit<CubeRow, 'cuboid'>>, spec: CubeSpec): CubeRow[] {
  const out: CubeRow[] = [];
  for (const row of rows) {
    for (const cuboid of spec.cuboids) {
      out.push({ ...row, cuboid, values: row.values.map((v, d) => ((cuboid & (1 << d)) === 0 ? '' : v)) });
    }
  }
  return out;
}
