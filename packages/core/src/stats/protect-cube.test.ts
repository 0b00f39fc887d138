import { deriveHiddenCells, type PublishedSum } from '@srs/testkit';
import { cubeKey, protectCubeWeek, type CubeRow, type CubeSpec } from './protect-cube';

const rules = { minCell: 5, dominance: 0.85 };
const spec: CubeSpec = { dimensions: ['category', 'country'], cuboids: [0, 1, 2, 3], contributorCuboids: [0, 1, 2, 3] };
const WEEK = Date.UTC(2026, 10, 2); // a Monday

/** Finest rows (category × country × operator) expanded to every cuboid, as the rollup keeps them. */
function rows(cells: Array<[string, string, string, number]>): CubeRow[] {
  return cells.flatMap(([category, country, op, count]) =>
    spec.cuboids.map((cuboid) => ({ bucket: WEEK, cuboid, values: [cuboid & 1 ? category : '', cuboid & 2 ? country : ''], contributor: op, count })),
  );
}

describe('protectCubeWeek', () => {
  it('gives each cell one status in every view, and leaves none derivable from all margins together', () => {
    // by=category premium_rate 11, by=category&country=GB 10, ZZ 1: the cross-view attack of issue 24.
    const week = protectCubeWeek(
      WEEK,
      rows([
        ['premium_rate', 'GB', 'a', 4], ['premium_rate', 'GB', 'b', 3], ['premium_rate', 'GB', 'c', 3], ['premium_rate', 'ZZ', 'a', 1],
        ['smishing', 'GB', 'a', 20], ['smishing', 'GB', 'b', 15], ['smishing', 'ZZ', 'c', 9], ['smishing', 'NG', 'b', 6], ['smishing', 'NG', 'a', 5],
        ['fraud', 'GB', 'c', 12], ['fraud', 'GB', 'a', 10], ['fraud', 'NG', 'b', 7], ['fraud', 'ZZ', 'a', 2],
      ]),
      spec,
      'week',
      rules,
    );
    const published = new Map<string, number>();
    const names: string[] = [];
    for (const [cuboid, cells] of week.cells.get('week')!) {
      for (const c of cells) {
        const name = cubeKey(cuboid, c.values, c.contributor);
        names.push(name);
        if (!c.hidden) published.set(name, c.value);
      }
    }
    expect(published.has(cubeKey(3, ['premium_rate', 'ZZ'], null))).toBe(false);
    // The attacker's equations: every margin of every cuboid, per operator too.
    const sums = new Map<string, PublishedSum & { children: string[] }>();
    for (const name of names) {
      const [cuboid, category, country, op] = name.split('\u0001');
      const mask = Number(cuboid);
      const parents: Array<[string, string]> = [];
      if (mask & 1) parents.push([cubeKey(mask & ~1, ['', country!], op || null), 'category']);
      if (mask & 2) parents.push([cubeKey(mask & ~2, [category!, ''], op || null), 'country']);
      if (op) parents.push([cubeKey(mask, [category!, country!], null), 'operator']);
      parents.forEach(([parent, over]) => {
        const key = `${parent}#${over}`;
        const s = sums.get(key) ?? { parent, children: [] };
        s.children.push(name);
        sums.set(key, s);
      });
    }
    expect(published.size).toBeLessThan(names.length);
    expect([...deriveHiddenCells([...sums.values()], published).keys()]).toEqual([]);
  });
});
