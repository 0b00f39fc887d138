import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor';

describe('feed cursors', () => {
  it('give back the position they were made from', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), (seq) => decodeCursor(encodeCursor(seq)) === seq));
  });

  it('start at the beginning when absent', () => {
    expect(decodeCursor(undefined)).toBe(0n);
  });

  it('refuse anything they did not make, naming the cursor field', () => {
    for (const bad of ['abc', '12', Buffer.from('v2:5').toString('base64url'), Buffer.from('v1:-5').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ status: 400, field: 'cursor' }));
    }
  });
});
