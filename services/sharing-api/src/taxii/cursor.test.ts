import fc from 'fast-check';
import { decodeNext, encodeNext } from './cursor';

describe('TAXII next values', () => {
  it('give back the position they were made from', () => {
    const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '123Z'));
    fc.assert(
      fc.property(iso, fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[a-z0-9-]{1,64}$/), (dateAdded, rank, ref) => {
        expect(decodeNext(encodeNext({ dateAdded, rank, ref }))).toEqual({ dateAdded, rank, ref });
      }),
    );
  });

  it('start at the beginning when absent', () => {
    expect(decodeNext(undefined)).toBeUndefined();
    expect(decodeNext('')).toBeUndefined();
  });

  it('refuse anything they did not make, naming the next parameter', () => {
    const forged = Buffer.from(JSON.stringify(['t1', 'yesterday', 1, 'x']), 'utf8').toString('base64url');
    for (const bad of ['abc', '12', forged, Buffer.from('v1:5').toString('base64url')]) {
      expect(() => decodeNext(bad)).toThrow(expect.objectContaining({ status: 400, field: 'next' }));
    }
  });
});
