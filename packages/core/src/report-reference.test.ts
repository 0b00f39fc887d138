import { newReportReference, parseReportReference, REFERENCE_ALPHABET } from './report-reference';

describe('report references', () => {
  it('are 8 characters of an alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const ref = newReportReference();
      expect(ref).toHaveLength(8);
      for (const ch of ref) expect(REFERENCE_ALPHABET).toContain(ch);
    }
    expect(REFERENCE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('do not repeat across many draws', () => {
    const refs = new Set(Array.from({ length: 10_000 }, newReportReference));
    expect(refs.size).toBe(10_000);
  });

  it('are read back as a subscriber types them', () => {
    expect(parseReportReference('ab2c-3d4e')).toBe('AB2C3D4E');
    expect(parseReportReference(' AB2C 3D4E ')).toBe('AB2C3D4E');
    expect(parseReportReference('AB2C3D4')).toBeUndefined();
    expect(parseReportReference('AB2C3D4O')).toBeUndefined();
  });
});
