/**
 * Which unknowns a system of linear equations pins down. An attacker who knows
 * the published cells knows every equation "children add up to their parent"
 * with the published values moved to the right-hand side; an unknown is
 * derivable exactly when it is determined by those equations, that is when its
 * unit vector lies in the row space. Reduced row echelon form tells: a pivot
 * whose row holds no other unknown is determined, nothing else is.
 *
 * Rows are sparse (a few cells each), so they are kept as maps; coefficients
 * start as 0/±1 and stay small, so floating point with a tolerance is exact
 * enough.
 */
const EPSILON = 1e-9;

export function determinedUnknowns(equations: ReadonlyArray<ReadonlyArray<{ unknown: number; coefficient: number }>>): Set<number> {
  const rows: Array<Map<number, number>> = [];
  for (const equation of equations) {
    const row = new Map<number, number>();
    for (const { unknown, coefficient } of equation) {
      const v = (row.get(unknown) ?? 0) + coefficient;
      if (Math.abs(v) < EPSILON) row.delete(unknown);
      else row.set(unknown, v);
    }
    if (row.size > 0) rows.push(row);
  }

  // Which rows hold each unknown, so elimination touches only those.
  const holders = new Map<number, Set<number>>();
  const hold = (unknown: number, r: number) => {
    let set = holders.get(unknown);
    if (!set) holders.set(unknown, (set = new Set()));
    set.add(r);
  };
  rows.forEach((row, r) => row.forEach((_, u) => hold(u, r)));

  const pivotRowOf = new Map<number, number>();
  const isPivotRow = new Set<number>();
  // Markowitz ordering: each step eliminates the unknown held by the fewest rows left, through its shortest row, which keeps fill-in low.
  const remaining = new Set(holders.keys());
  const openRows = (unknown: number) => [...holders.get(unknown)!].filter((r) => !isPivotRow.has(r));
  const buckets: Array<Set<number>> = [];
  const degree = new Map<number, number>();
  // Rows not yet pivots holding each unknown, kept as rows change.
  const open = new Map<number, number>();
  for (const [u, set] of holders) open.set(u, set.size);
  const bump = (u: number, by: number) => open.set(u, (open.get(u) ?? 0) + by);
  const place = (u: number) => {
    const d = open.get(u) ?? 0;
    const old = degree.get(u);
    if (old !== undefined) buckets[old]!.delete(u);
    degree.set(u, d);
    (buckets[d] ??= new Set()).add(u);
  };
  for (const u of remaining) place(u);
  const nextUnknown = (): number | undefined => {
    for (let d = 0; d < buckets.length; d++) {
      const set = buckets[d];
      if (set && set.size > 0) {
        let best: number | undefined;
        for (const u of set) if (best === undefined || u < best) best = u;
        return best;
      }
    }
    return undefined;
  };
  for (let unknown = nextUnknown(); unknown !== undefined; unknown = nextUnknown()) {
    buckets[degree.get(unknown)!]!.delete(unknown);
    remaining.delete(unknown);
    const candidates = openRows(unknown);
    if (candidates.length === 0) continue;
    let pivot = candidates[0]!;
    for (const r of candidates) {
      const better = Math.abs(rows[r]!.get(unknown)!) - Math.abs(rows[pivot]!.get(unknown)!);
      if (rows[r]!.size < rows[pivot]!.size || (rows[r]!.size === rows[pivot]!.size && better > EPSILON)) pivot = r;
    }
    const pivotRow = rows[pivot]!;
    const scale = pivotRow.get(unknown)!;
    for (const [u, v] of pivotRow) pivotRow.set(u, v / scale);
    isPivotRow.add(pivot);
    pivotRowOf.set(unknown, pivot);
    for (const u of pivotRow.keys()) bump(u, -1);
    for (const r of [...holders.get(unknown)!]) {
      if (r === pivot) continue;
      const row = rows[r]!;
      const factor = row.get(unknown)!;
      const counted = isPivotRow.has(r) ? 0 : 1;
      for (const [u, v] of pivotRow) {
        const next = (row.get(u) ?? 0) - factor * v;
        if (Math.abs(next) < EPSILON) {
          if (row.delete(u)) bump(u, -counted);
          holders.get(u)?.delete(r);
        } else {
          if (!row.has(u)) {
            hold(u, r);
            bump(u, counted);
          }
          row.set(u, next);
        }
      }
    }
    for (const u of pivotRow.keys()) if (remaining.has(u)) place(u);
  }

  const determined = new Set<number>();
  for (const [unknown, r] of pivotRowOf) if (rows[r]!.size === 1) determined.add(unknown);
  return determined;
}
