import { boundedMemo } from './bounded-memo';

describe('boundedMemo', () => {
  it('works a key out once and forgets the oldest beyond its capacity', () => {
    const calls: string[] = [];
    const upper = boundedMemo((k: string) => {
      calls.push(k);
      return k.toUpperCase();
    }, 2);
    expect([upper('a'), upper('a'), upper('b')]).toEqual(['A', 'A', 'B']);
    expect(calls).toEqual(['a', 'b']);
    upper('c');
    upper('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('remembers undefined results too', () => {
    let n = 0;
    const nothing = boundedMemo(() => {
      n++;
      return undefined;
    }, 10);
    nothing('x');
    nothing('x');
    expect(n).toBe(1);
  });
});
