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
  // Unknowns in rows with fewer entries first: less fill-in.
  const order = [...holders.keys()].sort((a, b) => holders.get(a)!.size - holders.get(b)!.size || a - b);
  for (const unknown of order) {
    const candidates = [...(holders.get(unknown) ?? [])].filter((r) => !isPivotRow.has(r));
    if (candidates.length === 0) continue;
    let pivot = candidates[0]!;
    for (const r of candidates) {
      const better = Math.abs(rows[r]!.get(unknown)!) - Math.abs(rows[pivot]!.get(unknown)!);
      if (better > EPSILON || (Math.abs(better) <= EPSILON && rows[r]!.size < rows[pivot]!.size)) pivot = r;
    }
    const pivotRow = rows[pivot]!;
    const scale = pivotRow.get(unknown)!;
    for (const [u, v] of pivotRow) pivotRow.set(u, v / scale);
    isPivotRow.add(pivot);
    pivotRowOf.set(unknown, pivot);
    for (const r of [...holders.get(unknown)!]) {
      if (r === pivot) continue;
      const row = rows[r]!;
      const factor = row.get(unknown)!;
      for (const [u, v] of pivotRow) {
        const next = (row.get(u) ?? 0) - factor * v;
        if (Math.abs(next) < EPSILON) {
          row.delete(u);
          holders.get(u)?.delete(r);
        } else {
          if (!row.has(u)) hold(u, r);
          row.set(u, next);
        }
      }
    }
  }

  const determined = new Set<number>();
  for (const [unknown, r] of pivotRowOf) if (rows[r]!.size === 1) determined.add(unknown);
  return determined;
}
