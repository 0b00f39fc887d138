/**
 * What an attacker can derive from published statistics: given equations
 * "these cells add up to that one" and the published values, the hidden cells
 * whose value is pinned down exactly. Exact rational arithmetic, written apart
 * from the service's own check so a test does not grade the service with its
 * own code.
 */
export interface PublishedSum {
  parent: string;
  children: readonly string[];
}

type Fraction = [bigint, bigint];

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d) * (d < 0n ? -1n : 1n);
  return [n / g, d / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

/** Hidden cells (those missing from `published`) that the sums determine, with their derived values. */
export function deriveHiddenCells(sums: readonly PublishedSum[], published: ReadonlyMap<string, number>): Map<string, number> {
  const unknowns = [...new Set(sums.flatMap((s) => [s.parent, ...s.children]).filter((c) => !published.has(c)))];
  const col = new Map(unknowns.map((u, i) => [u, i]));
  const n = unknowns.length;
  // Each row: coefficients of the unknowns, then the constant on the right.
  const rows: Fraction[][] = [];
  for (const s of sums) {
    const row: Fraction[] = Array.from({ length: n + 1 }, () => [0n, 1n] as Fraction);
    let rhs = 0n;
    const term = (cell: string, sign: bigint) => {
      const i = col.get(cell);
      if (i === undefined) rhs -= sign * BigInt(published.get(cell)!);
      else row[i] = norm([row[i]![0] + sign * row[i]![1], row[i]![1]]);
    };
    term(s.parent, -1n);
    for (const c of s.children) term(c, 1n);
    row[n] = [rhs, 1n];
    if (row.slice(0, n).some((f) => f[0] !== 0n)) rows.push(row);
  }
  let r = 0;
  const pivots: number[] = [];
  for (let c = 0; c < n && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c]![0] !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p]!, rows[r]!];
    const pivot = rows[r]![c]!;
    rows[r] = rows[r]!.map((f) => div(f, pivot));
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![c]![0] === 0n) continue;
      const factor = rows[i]![c]!;
      rows[i] = rows[i]!.map((f, j) => sub(f, mul(factor, rows[r]![j]!)));
    }
    pivots.push(c);
    r++;
  }
  const derived = new Map<string, number>();
  pivots.forEach((c, i) => {
    const row = rows[i]!;
    const others = row.slice(0, n).filter((f, j) => j !== c && f[0] !== 0n);
    if (others.length === 0) derived.set(unknowns[c]!, Number(row[n]![0]) / Number(row[n]![1]));
  });
  return derived;
}
