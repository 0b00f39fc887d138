import { fmix32, fnv1a, hashString, FNV_OFFSET } from './hash';

describe('the one hash mixer', () => {
  it('is MurmurHash3 fmix32 (known values)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('chains FNV-1a: hashing "ab" is hashing "b" after "a"', () => {
    expect(fnv1a('ab')).toBe(fnv1a('b', fnv1a('a', FNV_OFFSET)));
    expect(hashString('spam', 1)).not.toBe(hashString('spam', 2));
  });
});
