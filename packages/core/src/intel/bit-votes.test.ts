import fc from 'fast-check';
import { addToCounts, majority } from './bit-votes';

/** The plain way: one counter per bit, one addition per word and bit. */
function naiveMajority(words: number[]): number {
  let result = 0;
  for (let bit = 0; bit < 32; bit++) {
    const ones = words.filter((w) => (w >>> bit) & 1).length;
    if (ones * 2 > words.length) result |= 1 << bit;
  }
  return result >>> 0;
}

function slicedMajority(words: number[]): number {
  const planes = new Int32Array(32);
  for (const w of words) addToCounts(planes, w);
  return majority(planes, words.length) >>> 0;
}

describe('bit-sliced vote counters', () => {
  it('set the same bits as counting each bit of each word', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 1500 }), (words) => {
        expect(slicedMajority(words)).toBe(naiveMajority(words));
      }),
      { numRuns: 300 },
    );
  });

  it('leave a bit clear on a tie, and set it with one vote more than half', () => {
    expect(slicedMajority([0xffffffff, 0])).toBe(0);
    expect(slicedMajority([0xffffffff, 0, 0x80000001])).toBe(0x80000001);
  });

  it('count past every power of two without losing a carry', () => {
    for (const n of [1, 2, 3, 255, 256, 257, 4095, 4096, 4097, 70_000]) {
      const words = [...Array.from({ length: n }, () => 0xf0f0f0f0), ...Array.from({ length: n - 1 }, () => 0x0f0f0f0f)];
      expect(slicedMajority(words)).toBe(naiveMajority(words));
      expect(slicedMajority(words)).toBe(0xf0f0f0f0);
    }
  });
});
