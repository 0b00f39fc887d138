/** The q-quantile of an ascending list, by nearest rank (NaN when empty). */
export function quantile(ascending: ArrayLike<number>, q: number): number {
  return ascending[Math.min(ascending.length - 1, Math.floor(q * ascending.length))] ?? NaN;
}
