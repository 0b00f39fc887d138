import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('runs calls made together as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const double = new MicroBatcher(async (items: number[]) => {
      batches.push(items);
      return items.map((n) => n * 2);
    });
    expect(await Promise.all([1, 2, 3].map((n) => double.add(n)))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a batch as soon as it is full', async () => {
    const batches: number[][] = [];
    const echo = new MicroBatcher(async (items: number[]) => (batches.push(items), items), 2, 1000);
    await Promise.all([1, 2, 3, 4].map((n) => echo.add(n)));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('gives every caller of a failed batch the error', async () => {
    const failing = new MicroBatcher(async () => {
      throw new Error('database away');
    });
    const results = await Promise.allSettled([failing.add(1), failing.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
