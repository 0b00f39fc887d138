import { deriveHiddenCells } from '@srs/testkit/pure';
import { protectTable, type Cell, type SumGroup } from './disclosure';

const rules = { minCell: 5, dominance: 0.85 };

/** A rows × columns table with row totals, column totals and the grand total, as groups. */
function grid(values: number[][]): { cells: Cell[]; groups: SumGroup[]; name: (i: number) => string } {
  const rows = values.length;
  const cols = values[0]!.length;
  const cells: Cell[] = [];
  const id = (r: number, c: number) => r * (cols + 1) + c; // c === cols is the row total; r === rows the column totals
  for (let r = 0; r <= rows; r++) {
    for (let c = 0; c <= cols; c++) {
      const value =
        r < rows && c < cols
          ? values[r]![c]!
          : r < rows
            ? values[r]!.reduce((a, b) => a + b, 0)
            : c < cols
              ? values.reduce((a, row) => a + row[c]!, 0)
              : values.flat().reduce((a, b) => a + b, 0);
      cells[id(r, c)] = { value };
    }
  }
  const groups: SumGroup[] = [];
  for (let r = 0; r <= rows; r++) groups.push({ parent: id(r, cols), children: Array.from({ length: cols }, (_, c) => id(r, c)) });
  for (let c = 0; c <= cols; c++) groups.push({ parent: id(rows, c), children: Array.from({ length: rows }, (_, r) => id(r, c)) });
  return { cells, groups, name: (i) => `c${i}` };
}

function attack(cells: Cell[], groups: SumGroup[], hidden: boolean[]): Map<string, number> {
  const published = new Map<string, number>();
  cells.forEach((c, i) => {
    if (!hidden[i]) published.set(`c${i}`, c.value);
  });
  return deriveHiddenCells(
    groups.map((g) => ({ parent: `c${g.parent}`, children: g.children.map((c) => `c${c}`) })),
    published,
  );
}

describe('protectTable', () => {
  it('publishes a table with no small cells as it is', () => {
    const { cells, groups } = grid([
      [10, 20],
      [30, 40],
    ]);
    expect(protectTable(cells, groups, rules).some(Boolean)).toBe(false);
  });

  it('hides a small cell and enough others that row and column totals do not give it back', () => {
    const { cells, groups } = grid([
      [3, 20, 12],
      [30, 40, 9],
      [11, 8, 50],
    ]);
    const hidden = protectTable(cells, groups, rules);
    expect(hidden[0]).toBe(true);
    expect(hidden.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(attack(cells, groups, hidden).size).toBe(0);
  });

  it('keeps zeros published: a zero tells nothing about anyone', () => {
    const { cells, groups } = grid([
      [0, 20],
      [30, 40],
    ]);
    expect(protectTable(cells, groups, rules).some(Boolean)).toBe(false);
  });

  it('hides a count one contributor dominates', () => {
    const cells: Cell[] = [{ value: 100 }, { value: 90, topShare: 0.9 }, { value: 10, topShare: 0.5 }];
    const hidden = protectTable(cells, [{ parent: 0, children: [1, 2] }], rules);
    expect(hidden).toEqual([false, true, true]);
  });

  it('respects cells another table decided, and protects around them', () => {
    const cells: Cell[] = [{ value: 3, fixed: true }, { value: 1 }, { value: 2 }, { value: 0 }];
    const hidden = protectTable(cells, [{ parent: 0, children: [1, 2, 3] }], rules);
    expect(hidden[0]).toBe(true);
    expect(attack(cells, [{ parent: 0, children: [1, 2, 3] }], hidden).size).toBe(0);
  });

  it('finds hidden cells a chain of sums pins down, which the row and column rules alone miss', () => {
    // Two blocks of hidden cells joined by one cell: each line has two hidden
    // cells, yet the joining cell is determined.
    const values = [
      [2, 2, 3, 30, 30],
      [2, 2, 30, 30, 30],
      [30, 30, 2, 2, 30],
      [30, 30, 2, 2, 30],
      [30, 30, 30, 30, 30],
    ];
    const { cells, groups } = grid(values);
    const primary = cells.map((c) => c.value > 0 && c.value < 5);
    expect(attack(cells, groups, primary).get(`c${2}`)).toBe(3);
    const hidden = protectTable(cells, groups, rules);
    expect(attack(cells, groups, hidden).size).toBe(0);
  });

  it('gives the same answer whatever order the cells come in', () => {
    const { cells, groups } = grid([
      [3, 20, 12, 7],
      [30, 4, 9, 8],
      [11, 8, 50, 2],
    ]);
    const a = protectTable(cells, groups, rules);
    const b = protectTable(cells, [...groups].reverse(), rules);
    expect(b).toEqual(a);
  });

  it('leaves nothing derivable in random tables', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let t = 0; t < 60; t++) {
      const rows = 2 + Math.floor(random() * 6);
      const cols = 2 + Math.floor(random() * 6);
      const values = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (random() < 0.3 ? Math.floor(random() * 5) : Math.floor(random() * 40))),
      );
      const { cells, groups } = grid(values);
      const hidden = protectTable(cells, groups, rules);
      cells.forEach((c, i) => {
        if (c.value > 0 && c.value < 5) expect(hidden[i]).toBe(true);
      });
      const derived = attack(cells, groups, hidden);
      for (const [cell, value] of derived)
        expect({ cell, value, sensitive: value > 0 && value < 5 }).toEqual({ cell, value, sensitive: false });
      expect(derived.size).toBe(0);
    }
  });

  it('publishes a cell that cells decided elsewhere already give away, and protects its neighbours another way', () => {
    // Days 10 and 20 of a week were published by another table; the week's total 30 follows from them.
    // The week's categories: 27 and 3 (small). Hiding the total would not help: 27 must go instead.
    const cells = [{ value: 10, fixed: false }, { value: 20, fixed: false }, { value: 30 }, { value: 27 }, { value: 3 }];
    const groups = [
      { parent: 2, children: [0, 1] },
      { parent: 2, children: [3, 4] },
    ];
    expect(protectTable(cells, groups, rules)).toEqual([false, false, false, true, true]);
    // Even a small one: days 1 and 2 published give the week's 3 away, so hiding it would only pretend.
    const small = [{ value: 1, fixed: false }, { value: 2, fixed: false }, { value: 3 }, { value: 2 }, { value: 1 }];
    expect(protectTable(small, groups, rules)).toEqual([false, false, false, true, true]);
  });
});
