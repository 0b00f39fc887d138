import { randomInt } from 'node:crypto';

/** Crockford-style alphabet without 0/O, 1/I/L and U: easy to read out and type back on a keypad. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 8;
const REFERENCE_PATTERN = new RegExp(`^[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}$`);

/** 30^8 ≈ 6.6e11 values from a CSPRNG: unguessable, and collisions are retried by the unique index. */
export function newReportReference(): string {
  let ref = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) ref += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return ref;
}

/** Accepts a reference as a subscriber types it back: any case, with spaces or dashes. */
export function parseReportReference(input: string): string | undefined {
  const ref = input.toUpperCase().replace(/[\s-]/g, '');
  return REFERENCE_PATTERN.test(ref) ? ref : undefined;
}
