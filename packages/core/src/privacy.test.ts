import { randomBytes } from 'node:crypto';
import { pseudonymise } from './pseudonym';
import { seal, unseal } from './sealed-box';

describe('pseudonymise', () => {
  it('is stable for a number and key, and differs with the key', () => {
    const a = pseudonymise('+447700900123', 'k'.repeat(32));
    expect(pseudonymise('+447700900123', 'k'.repeat(32))).toBe(a);
    expect(pseudonymise('+447700900123', 'j'.repeat(32))).not.toBe(a);
    expect(pseudonymise('+447700900124', 'k'.repeat(32))).not.toBe(a);
  });

  it('does not contain the number', () => {
    expect(pseudonymise('+447700900123', 'k'.repeat(32))).not.toMatch(/7700900123/);
  });
});

describe('sealed box', () => {
  const key = randomBytes(32);

  it('round-trips and hides the plain text', () => {
    const sealed = seal('447700900123', key);
    expect(sealed).not.toContain('7700900123');
    expect(unseal(sealed, key)).toBe('447700900123');
  });

  it('gives a different ciphertext each time', () => {
    expect(seal('447700900123', key)).not.toBe(seal('447700900123', key));
  });

  it('never uses an IV twice, across refills of its random pool', () => {
    const ivs = Array.from({ length: 5000 }, (_, i) => seal(`4477009${i}`, key).split('.')[1]!);
    expect(new Set(ivs).size).toBe(ivs.length);
    expect(ivs.every((iv) => Buffer.from(iv, 'base64url').length === 12)).toBe(true);
    const sealed = Array.from({ length: 3000 }, (_, i) => seal(`4477009${i}`, key));
    sealed.forEach((s, i) => expect(unseal(s, key)).toBe(`4477009${i}`));
  });

  it('rejects a tampered value and a wrong key', () => {
    const sealed = seal('447700900123', key);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => unseal(parts.join('.'), key)).toThrow();
    expect(() => unseal(sealed, randomBytes(32))).toThrow();
    expect(() => unseal('garbage', key)).toThrow(/unknown format/);
  });
});
