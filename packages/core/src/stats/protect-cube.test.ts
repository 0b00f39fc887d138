import { deriveHiddenCells, type PublishedSum } from '@srs/testkit/pure';
import { cubeKey, protectCubeWeek, type CubeRow, type CubeSpec } from './protect-cube';

const rules = { minCell: 5, dominance: 0.85 };
const CUBOIDS = [0, 1, 2, 3];
const spec: CubeSpec = { dimensions: ['category', 'country'], levels: [{ grain: 'week', cuboids: CUBOIDS, contributorCuboids: CUBOIDS }] };
const WEEK = Date.UTC(2026, 10, 2); // a Monday

/** Finest rows (category × country × operator) expanded to every cuboid, as the rollup keeps them. */
function rows(cells: Array<[string, string, string, number]>): CubeRow[] {
  return cells.flatMap(([category, country, op, count]) =>
    CUBOIDS.map((cuboid) => ({
      grain: 'week' as const,
      bucket: WEEK,
      cuboid,
      values: [cuboid & 1 ? category : '', cuboid & 2 ? country : ''],
      contributor: op,
      count,
    })),
  );
}

describe('protectCubeWeek', () => {
  it('gives each cell one status in every view, and leaves none derivable from all margins together', () => {
    // by=category premium_rate 11, by=category&country=GB 10, ZZ 1: the cross-view attack of issue 24.
    const week = protectCubeWeek(
      WEEK,
      rows([
        ['premium_rate', 'GB', 'a', 4],
        ['premium_rate', 'GB', 'b', 3],
        ['premium_rate', 'GB', 'c', 3],
        ['premium_rate', 'ZZ', 'a', 1],
        ['smishing', 'GB', 'a', 20],
        ['smishing', 'GB', 'b', 15],
        ['smishing', 'ZZ', 'c', 9],
        ['smishing', 'NG', 'b', 6],
        ['smishing', 'NG', 'a', 5],
        ['fraud', 'GB', 'c', 12],
        ['fraud', 'GB', 'a', 10],
        ['fraud', 'NG', 'b', 7],
        ['fraud', 'ZZ', 'a', 2],
      ]),
      spec,
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

describe('protectCubeWeek over hours, days and the week', () => {
  const HOUR = 3_600_000;
  const levels: CubeSpec = {
    dimensions: ['category'],
    levels: [
      { grain: 'hour', cuboids: [0], contributorCuboids: [] },
      { grain: 'day', cuboids: [0, 1], contributorCuboids: [] },
      { grain: 'week', cuboids: [0, 1], contributorCuboids: [] },
    ],
  };
  /** Hourly totals and daily categories of the week's first two days. */
  const weekRows = (extra: CubeRow[] = []): CubeRow[] => [
    ...[3, 9, 8, 12].map((count, h) => ({ grain: 'hour' as const, bucket: WEEK + h * HOUR, cuboid: 0, values: [''], count })),
    ...[6, 7].map((count, h) => ({ grain: 'hour' as const, bucket: WEEK + 24 * HOUR + h * HOUR, cuboid: 0, values: [''], count })),
    ...[
      ['smishing', 20],
      ['fraud', 12],
    ].map(([c, n]) => ({ grain: 'day' as const, bucket: WEEK, cuboid: 1, values: [c as string], count: n as number })),
    ...[
      ['smishing', 9],
      ['fraud', 4],
    ].map(([c, n]) => ({ grain: 'day' as const, bucket: WEEK + 24 * HOUR, cuboid: 1, values: [c as string], count: n as number })),
    ...extra,
  ];
  const statuses = (week: ReturnType<typeof protectCubeWeek>) =>
    [...week.cells]
      .flatMap(([grain, byCuboid]) =>
        [...byCuboid].flatMap(([cuboid, cells]) => cells.map((c) => `${grain}|${c.bucket}|${cuboid}|${c.values.join()}|${c.hidden}`)),
      )
      .sort();

  it('hides the day whose hours would reveal the one small hour, and withholds buckets not yet complete', () => {
    const completeUntil = WEEK + 48 * HOUR;
    const week = protectCubeWeek(WEEK, weekRows(), levels, rules, completeUntil);
    const day = (d: number, cuboid: number) =>
      week.cells
        .get('day')!
        .get(cuboid)!
        .filter((c) => c.bucket === WEEK + d * 24 * HOUR);
    // Hours 3 (hidden), 9, 8, 12: the day's total 32 would give the hidden hour.
    expect(
      week.cells
        .get('hour')!
        .get(0)!
        .find((c) => c.bucket === WEEK)!.hidden,
    ).toBe(true);
    expect(day(0, 0)[0]!.hidden).toBe(true);
    // With the total hidden, the categories would still add up to it: one goes.
    expect(day(0, 1).filter((c) => c.hidden)).toHaveLength(1);
    // Day 1: hours 6 and 7 published, the total 13 too; fraud 4 is small, so smishing 9 goes with it.
    expect(day(1, 0)[0]).toMatchObject({ value: 13, hidden: false });
    expect(
      day(1, 1)
        .map((c) => [c.values[0], c.hidden])
        .sort(),
    ).toEqual([
      ['fraud', true],
      ['smishing', true],
    ]);
    // The week is not over: withheld, not computed from a part.
    expect(week.cells.get('week')!.size).toBe(0);
  });

  it('decides a complete bucket once: later counts of the week never change it', () => {
    const early = protectCubeWeek(WEEK, weekRows(), levels, rules, WEEK + 48 * HOUR);
    const later = protectCubeWeek(
      WEEK,
      weekRows([
        { grain: 'hour', bucket: WEEK + 50 * HOUR, cuboid: 0, values: [''], count: 2 },
        { grain: 'day', bucket: WEEK + 48 * HOUR, cuboid: 1, values: ['fraud'], count: 2 },
      ]),
      levels,
      rules,
      WEEK + 72 * HOUR,
    );
    const laterFirstTwoDays = statuses(later).filter((s) => Number(s.split('|')[1]) < WEEK + 48 * HOUR);
    expect(laterFirstTwoDays).toEqual(statuses(early));
  });
});

describe('protectCubeWeek over hours decided with their day', () => {
  const HOUR = 3_600_000;
  const perOperator: CubeSpec = {
    dimensions: ['category'],
    levels: [
      { grain: 'hour', cuboids: [0, 1], contributorCuboids: [0, 1], settlesWith: 'day' },
      { grain: 'day', cuboids: [0, 1], contributorCuboids: [0, 1] },
    ],
  };
  /** One operator's category count in one hour of the week's first day, with its total row. */
  const hourRows = (cells: Array<[number, string, string, number]>): CubeRow[] =>
    cells.flatMap(([hour, category, op, count]) =>
      [0, 1].map((cuboid) => ({
        grain: 'hour' as const,
        bucket: WEEK + hour * HOUR,
        cuboid,
        values: [cuboid === 1 ? category : ''],
        contributor: op,
        count,
      })),
    );

  it("keeps hidden the small hour that an operator's published day and the hours' zeros would give away", () => {
    // Operator a's two uncommon categories fall in one hour: its day total less its published fraud is that hour's count.
    const week = protectCubeWeek(
      WEEK,
      hourRows([
        [1, 'not_spam', 'a', 1],
        [1, 'premium_rate', 'a', 1],
        [5, 'fraud', 'a', 10],
        [6, 'fraud', 'a', 9],
        [5, 'fraud', 'b', 12],
        [6, 'fraud', 'b', 15],
        [7, 'smishing', 'b', 8],
        [8, 'smishing', 'a', 6],
      ]),
      perOperator,
      rules,
      WEEK + 24 * HOUR,
    );
    const published = new Map<string, number>();
    const names: string[] = [];
    for (const [grain, byCuboid] of week.cells) {
      for (const [cuboid, cells] of byCuboid) {
        for (const c of cells) {
          const name = `${grain}|${c.bucket}|${cubeKey(cuboid, c.values, c.contributor)}`;
          names.push(name);
          if (!c.hidden) published.set(name, c.value);
          if (c.value > 0 && c.value < rules.minCell) expect({ name, hidden: c.hidden }).toEqual({ name, hidden: true });
        }
      }
    }
    // What a reader knows: each cell is the sum of its categories and of its operators; a day of its hours, where
    // an hour without a cell is a published zero.
    const sums = new Map<string, PublishedSum & { children: string[] }>();
    const add = (over: string, parent: string, child: string) => {
      const s = sums.get(`${parent}#${over}`) ?? { parent, children: [] };
      s.children.push(child);
      sums.set(`${parent}#${over}`, s);
    };
    for (const name of names) {
      const [grain, bucket, key] = name.split('|');
      const [cuboid, category, op] = key!.split('\u0001');
      if (cuboid === '1') add('category', `${grain}|${bucket}|${cubeKey(0, [''], op || null)}`, name);
      if (op) add('operator', `${grain}|${bucket}|${cubeKey(Number(cuboid), [category!], null)}`, name);
      if (grain === 'hour') add('hours', `day|${WEEK}|${key}`, name);
    }
    expect([...deriveHiddenCells([...sums.values()], published).keys()]).toEqual([]);
  });
});
