import { depthExceeds } from './json-body';

describe('JSON depth limit', () => {
  const nest = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('lets documents as deep as the limit through and stops deeper ones', () => {
    expect(depthExceeds(nest(32), 32)).toBe(false);
    expect(depthExceeds(nest(33), 32)).toBe(true);
    expect(depthExceeds({ a: 1, b: [1, 2, { c: 'x' }] }, 3)).toBe(false);
  });

  it('walks a hundred thousand levels without overflowing the stack', () => {
    expect(depthExceeds(nest(100_000), 32)).toBe(true);
  });
});
