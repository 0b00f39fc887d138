import { deriveHiddenCells, type PublishedSum } from '@srs/testkit';
import { bucketStart, type Grain } from './buckets';
import { protectSeries, TOTAL, type CountRow, type ProtectedSeries } from './protect-series';

const rules = { minCell: 5, dominance: 0.85 };
const MONDAY = Date.parse('2026-11-02T00:00:00Z');
const HOUR = 3_600_000;
const CATEGORIES = ['smishing', 'fraud', 'marketing', 'malware', 'not_spam'];
const OPERATORS = ['op-a', 'op-b', 'op-c'];

function randomHours(weeks: number, seed: number, scale: number): CountRow[] {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const rows: CountRow[] = [];
  for (let h = 0; h < weeks * 168; h++) {
    for (const key of CATEGORIES) {
      for (const contributor of OPERATORS) {
        if (random() < 0.5) continue;
        const count = Math.floor(random() * scale);
        if (count > 0) rows.push({ bucket: new Date(MONDAY + h * HOUR), key, contributor, count });
      }
    }
  }
  return rows;
}

function toDays(rows: CountRow[]): CountRow[] {
  const sums = new Map<string, CountRow>();
  for (const r of rows) {
    const day = bucketStart('day', r.bucket);
    const id = `${day.getTime()}|${r.key}|${r.contributor}`;
    const row = sums.get(id) ?? { bucket: day, key: r.key, contributor: r.contributor!, count: 0 };
    row.count += r.count;
    sums.set(id, row);
  }
  return [...sums.values()];
}

/** Everything an attacker sees from the hour, day and week answers, and the sums tying them. */
function attackAll(series: ProtectedSeries[]): Map<string, number> {
  const published = new Map<string, number>();
  const sums: PublishedSum[] = [];
  const parent: Record<Grain, Grain | undefined> = { hour: 'day', day: 'week', week: undefined };
  const seen = new Set<string>();
  for (const s of series) {
    for (const [grain, buckets] of s) {
      for (const [bucket, keys] of buckets) {
        const id = (k: string) => `${grain}|${bucket}|${k}`;
        for (const [key, cell] of keys) if (!cell.hidden) published.set(id(key), cell.value);
        const rowId = id(TOTAL);
        if (!seen.has(rowId)) {
          seen.add(rowId);
          sums.push({ parent: rowId, children: [...keys.keys()].filter((k) => k !== TOTAL).map(id) });
        }
      }
      const up = parent[grain];
      if (!up || !s.get(up)) continue;
      const groups = new Map<string, string[]>();
      for (const [bucket, keys] of buckets) {
        for (const key of keys.keys()) {
          const p = `${up}|${bucketStart(up, bucket).getTime()}|${key}`;
          groups.set(p, [...(groups.get(p) ?? []), `${grain}|${bucket}|${key}`]);
        }
      }
      for (const [p, children] of groups) if (!seen.has(`h:${p}`)) seen.add(`h:${p}`) && sums.push({ parent: p, children });
    }
  }
  return deriveHiddenCells(sums, published);
}

describe('protectSeries', () => {
  it('hides small and dominated counts at every grain, and nothing hidden can be derived from hours, days and weeks together', () => {
    const hours = randomHours(1, 11, 4);
    const series = protectSeries(hours, { grain: 'hour', rules, dominance: 'contributors' });
    for (const buckets of series.values()) {
      for (const keys of buckets.values()) for (const cell of keys.values()) if (cell.value > 0 && cell.value < 5) expect(cell.hidden).toBe(true);
    }
    expect(attackAll([series]).size).toBe(0);
  });

  it('shows the same days whether asked by the hour or by the day', () => {
    const hours = randomHours(2, 5, 6);
    const byHour = protectSeries(hours, { grain: 'hour', rules, dominance: 'contributors' });
    const byDay = protectSeries(toDays(hours), { grain: 'day', rules, dominance: 'contributors' });
    expect(byHour.get('day')).toEqual(byDay.get('day'));
    expect(byHour.get('week')).toEqual(byDay.get('week'));
  });

  it('hides the same cells in a week whatever other weeks the period holds', () => {
    const hours = randomHours(3, 9, 8);
    const all = protectSeries(toDays(hours), { grain: 'day', rules, dominance: 'contributors' });
    const secondWeek = toDays(hours).filter((r) => +r.bucket >= MONDAY + 168 * HOUR && +r.bucket < MONDAY + 336 * HOUR);
    const alone = protectSeries(secondWeek, { grain: 'day', rules, dominance: 'contributors' });
    for (const [bucket, keys] of alone.get('day')!) expect(all.get('day')!.get(bucket)).toEqual(keys);
  });

  it('in a per-operator view, hides an operator holding more than 85% of its bucket', () => {
    const at = new Date(MONDAY);
    const rows: CountRow[] = [
      { bucket: at, key: 'op-a', contributor: 'op-a', count: 90 },
      { bucket: at, key: 'op-b', contributor: 'op-b', count: 6 },
      { bucket: at, key: 'op-c', contributor: 'op-c', count: 7 },
      { bucket: new Date(MONDAY + 7 * 86_400_000), key: 'op-a', contributor: 'op-a', count: 50 },
      { bucket: new Date(MONDAY + 7 * 86_400_000), key: 'op-b', contributor: 'op-b', count: 50 },
    ];
    const day = protectSeries(rows, { grain: 'day', rules, dominance: 'row_share' }).get('day')!;
    expect(day.get(MONDAY)!.get('op-a')!.hidden).toBe(true);
    expect([...day.get(MONDAY)!.values()].filter((c) => c.hidden).length).toBeGreaterThanOrEqual(2);
    expect(day.get(MONDAY + 7 * 86_400_000)!.get('op-a')!.hidden).toBe(false);
  });

  it('agrees with the totals another view published', () => {
    const rows = randomHours(1, 3, 10).map((r) => ({ ...r, bucket: bucketStart('day', r.bucket) }));
    const totals = protectSeries(rows.map((r) => ({ ...r, key: TOTAL })), { grain: 'day', rules, dominance: 'contributors' });
    const byCategory = protectSeries(rows, { grain: 'day', rules, dominance: 'contributors', fixedTotals: totals });
    for (const [bucket, keys] of totals.get('day')!) expect(byCategory.get('day')!.get(bucket)!.get(TOTAL)).toEqual(keys.get(TOTAL));
    expect(attackAll([totals, byCategory]).size).toBe(0);
  });
});
