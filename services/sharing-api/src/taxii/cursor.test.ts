import fc from 'fast-check';
import { SealedIds } from '../feed/sealed-ids';
import { decodeNext, encodeNext } from './cursor';

const ids = new SealedIds('a test key of at least thirty-two characters');

describe('TAXII next values', () => {
  it('give back the position they were made from', () => {
    const iso = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().replace('Z', '123Z'));
    fc.assert(
      fc.property(iso, fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[a-z0-9-]{1,64}$/), (dateAdded, rank, ref) => {
        expect(decodeNext(ids, encodeNext(ids, { dateAdded, rank, ref }))).toEqual({ dateAdded, rank, ref });
      }),
    );
  });

  it('start at the beginning when absent', () => {
    expect(decodeNext(ids, undefined)).toBeUndefined();
    expect(decodeNext(ids, '')).toBeUndefined();
  });

  it('refuse anything they did not make, naming the next parameter', () => {
    const forged = Buffer.from(JSON.stringify(['t1', 'yesterday', 1, 'x']), 'utf8').toString('base64url');
    const unsealed = Buffer.from(JSON.stringify(['t1', '2026-01-01T00:00:00.000000Z', 3, '42']), 'utf8').toString('base64url');
    const otherKey = encodeNext(new SealedIds('another key of at least thirty-two characters'), {
      dateAdded: '2026-01-01T00:00:00.000000Z',
      rank: 3,
      ref: '42',
    });
    for (const bad of ['abc', '12', forged, unsealed, otherKey, Buffer.from('v1:5').toString('base64url')]) {
      expect(() => decodeNext(ids, bad)).toThrow(expect.objectContaining({ status: 400, field: 'next' }));
    }
  });
});
