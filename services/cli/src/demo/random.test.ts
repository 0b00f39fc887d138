import { createRandom } from './random';

describe('seeded random', () => {
  it('gives the same draws for the same seed and others for another', () => {
    const draws = (seed: string) => Array.from({ length: 5 }, createRandom(seed).next);
    expect(draws('7726')).toEqual(draws('7726'));
    expect(draws('7726')).not.toEqual(draws('7727'));
  });

  it('stays in range and picks by weight', () => {
    const random = createRandom('range');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) {
      const x = random.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = random.int(3, 5);
      expect([3, 4, 5]).toContain(n);
      counts[random.weighted(['a', 'b'] as const, (k) => (k === 'a' ? 3 : 1))]++;
    }
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });

  it('forks streams that do not depend on how much the parent drew', () => {
    const a = createRandom('parent');
    const b = createRandom('parent');
    b.next();
    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });

  it('refuses to pick from nothing', () => {
    expect(() => createRandom('e').pick([])).toThrow(RangeError);
    expect(() => createRandom('e').weighted(['a'], () => 0)).toThrow(RangeError);
  });
});
