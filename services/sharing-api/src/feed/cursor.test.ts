import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor';
import { SealedIds } from './sealed-ids';

const ids = new SealedIds('a test key of at least thirty-two characters');

describe('feed cursors', () => {
  it('give back the position they were made from', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), (seq) => decodeCursor(ids, encodeCursor(ids, seq)) === seq));
  });

  it('start at the beginning when absent', () => {
    expect(decodeCursor(ids, undefined)).toBe(0n);
  });

  it('refuse anything they did not make, naming the cursor field', () => {
    const other = new SealedIds('another key of at least thirty-two characters');
    for (const bad of ['abc', '12', Buffer.from('v1:5').toString('base64url'), encodeCursor(other, 5n), ids.indicatorId('p5').slice(2)]) {
      expect(() => decodeCursor(ids, bad)).toThrow(expect.objectContaining({ status: 400, field: 'cursor' }));
    }
  });

  it('tell neither the order nor the distance of the positions they hold', () => {
    const cursors = [1n, 2n, 3n, 1000n].map((seq) => encodeCursor(ids, seq));
    expect(new Set(cursors.map((c) => c.length))).toEqual(new Set([22]));
    expect(cursors.some((c) => /^\d+$/.test(c))).toBe(false);
    expect(Buffer.from(cursors[0]!, 'base64url').toString('latin1')).not.toContain('1');
  });
});
