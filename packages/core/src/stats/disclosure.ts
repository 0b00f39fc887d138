import { determinedUnknowns } from './linear-system';

/**
 * Statistical disclosure control for tables of counts.
 *
 * A table is a list of cells and the sums that tie them: every group says its
 * children add up to its parent (the categories of an hour add up to the hour's
 * total; the hours of a day add up to the day). Whoever reads published cells
 * knows every such equation.
 *
 * Primary suppression hides a cell that is sensitive: counts from 1 to
 * `minCell - 1`, or a count one contributor dominates (more than `dominance`
 * of it, the (1, k) rule). Secondary suppression then hides more cells until
 * no hidden cell can be derived from the published ones: first the usual
 * rules (no group with exactly one hidden child under a published parent; no
 * hidden parent with all its children published), then an exact check of the
 * linear system, which also catches hidden cells pinned down by a chain of
 * groups. Complements are the smallest cells available, so as little as
 * possible is lost; the result depends only on the cells, never on the order a
 * caller asked in.
 */

export interface Cell {
  value: number;
  /** share (0..1) of the cell held by its largest contributor, when contributors are known */
  topShare?: number;
  /** decided by another table this one must agree with: true hidden, false published */
  fixed?: boolean;
  /** what hiding it as a complement loses (its value when not given): complements are the cheapest */
  cost?: number;
}

export interface SumGroup {
  parent: number;
  children: readonly number[];
}

export interface DisclosureRules {
  /** counts from 1 to minCell - 1 are hidden */
  minCell: number;
  /** a count whose largest contributor holds more than this share (0..1) is hidden */
  dominance: number;
}

export function isSensitive(cell: Cell, rules: DisclosureRules): boolean {
  if (cell.value <= 0) return false;
  return cell.value < rules.minCell || (cell.topShare !== undefined && cell.topShare > rules.dominance);
}

/** Which cells to hide: `true` at the index of every hidden cell. */
export function protectTable(cells: readonly Cell[], groups: readonly SumGroup[], rules: DisclosureRules): boolean[] {
  const given = publishedByOthers(cells, groups);
  const hidden = cells.map((c, i) => (given.has(i) ? false : (c.fixed ?? isSensitive(c, rules))));
  const free = (i: number) => cells[i]!.fixed === undefined && !given.has(i) && !hidden[i];
  const groupsOf = new Map<number, SumGroup[]>();
  for (const g of groups) {
    for (const i of [g.parent, ...g.children]) {
      const list = groupsOf.get(i);
      if (list) list.push(g);
      else groupsOf.set(i, [g]);
    }
  }
  const cheapest = (candidates: readonly number[]): number | undefined => {
    let best: number | undefined;
    for (const i of candidates) {
      if (!free(i)) continue;
      if (best === undefined || rank(cells[i]!, i) < rank(cells[best]!, best)) best = i;
    }
    return best;
  };

  // Independent parts of the system found safe, by their unknowns: a later round checks only the parts that changed.
  const safe = new Set<string>();
  for (let round = 0; round < cells.length + 1; round++) {
    applyGroupRules(groups, hidden, cheapest);
    const exposed = exposedIn(
      equationsOf(groups, (i) => hidden[i]!),
      safe,
    );
    if (exposed.length === 0) break;
    let added = false;
    for (const i of exposed) {
      // Cells sharing a sum with it, and with the hidden cells that do: a cheap cell one sum away often breaks the chain.
      const near = (cell: number) => (groupsOf.get(cell) ?? []).flatMap((g) => [g.parent, ...g.children]);
      const related = near(i);
      const complement = cheapest([...related, ...related.filter((r) => hidden[r] && r !== i).flatMap(near)]);
      if (complement !== undefined) {
        hidden[complement] = true;
        added = true;
      }
    }
    if (!added) break;
  }
  return hidden;
}

type Equation = Array<{ unknown: number; coefficient: number }>;

/** What a reader of the published cells knows: each sum with its published cells moved to the right-hand side. */
function equationsOf(groups: readonly SumGroup[], isUnknown: (cell: number) => boolean): Equation[] {
  return groups
    .map((g) => [
      ...(isUnknown(g.parent) ? [{ unknown: g.parent, coefficient: -1 }] : []),
      ...g.children.filter(isUnknown).map((c) => ({ unknown: c, coefficient: 1 })),
    ])
    .filter((e) => e.length > 0);
}

/** The unknowns determined by the equations, solving each independent part apart and skipping those `safe` already holds. */
function exposedIn(equations: readonly Equation[], safe: Set<string>): number[] {
  const parent = new Map<number, number>();
  const find = (u: number): number => {
    let root = u;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    parent.set(u, root);
    return root;
  };
  for (const e of equations) {
    for (const { unknown } of e) if (!parent.has(unknown)) parent.set(unknown, unknown);
    for (let i = 1; i < e.length; i++) {
      const a = find(e[0]!.unknown);
      const b = find(e[i]!.unknown);
      if (a !== b) parent.set(a, b);
    }
  }
  const parts = new Map<number, Equation[]>();
  for (const e of equations) {
    const root = find(e[0]!.unknown);
    const list = parts.get(root);
    if (list) list.push(e);
    else parts.set(root, [e]);
  }
  const members = new Map<number, number[]>();
  for (const u of parent.keys()) {
    const root = find(u);
    const list = members.get(root);
    if (list) list.push(u);
    else members.set(root, [u]);
  }
  const exposed: number[] = [];
  for (const [root, part] of parts) {
    const signature = members
      .get(root)!
      .sort((a, b) => a - b)
      .join(',');
    if (safe.has(signature)) continue;
    const determined = determinedUnknowns(part);
    if (determined.size === 0) safe.add(signature);
    else exposed.push(...determined);
  }
  return exposed.sort((a, b) => a - b);
}

/**
 * The undecided cells whose value already follows from the cells another
 * table decided (a week whose days are all published): hiding them protects
 * nothing, so they are published, and the cells they complement are
 * protected by others instead.
 */
function publishedByOthers(cells: readonly Cell[], groups: readonly SumGroup[]): Set<number> {
  if (!cells.some((c) => c.fixed === false)) return new Set();
  const determined = determinedUnknowns(equationsOf(groups, (i) => cells[i]!.fixed !== false));
  return new Set([...determined].filter((i) => cells[i]!.fixed === undefined));
}

/** Small positive counts first; zeros only when nothing else is left, since a hidden zero protects little. */
function rank(cell: Cell, index: number): number {
  return (cell.value > 0 ? (cell.cost ?? cell.value) : Number.MAX_SAFE_INTEGER / 2) * 1e6 + index;
}

function applyGroupRules(groups: readonly SumGroup[], hidden: boolean[], cheapest: (c: readonly number[]) => number | undefined): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const g of groups) {
      const hiddenChildren = g.children.reduce((n, c) => n + (hidden[c] ? 1 : 0), 0);
      const needs = (!hidden[g.parent] && hiddenChildren === 1) || (hidden[g.parent] && hiddenChildren === 0 && g.children.length > 0);
      if (!needs) continue;
      const complement = cheapest(g.children);
      if (complement !== undefined) {
        hidden[complement] = true;
        changed = true;
      }
    }
  }
}
