import { createHash } from 'node:crypto';
import { fmix32 } from '../text/hash';
import { addToCounts, majority } from './bit-votes';

/**
 * Fingerprints of masked texts (see `maskText`) for grouping reports into
 * campaigns: an exact one for identical variants, and a SimHash whose Hamming
 * distance stays small when two texts differ a little.
 *
 * SimHash (Charikar 2002; Manku et al. 2007): every shingle of the text votes
 * on each of 64 bits with a 64-bit hash of itself; bit i is set when more
 * shingles have it set than clear. Two texts sharing most shingles agree on
 * most bits. Shingles are character trigrams, so a text needs no word
 * splitting and Chinese works as well as English. Trigrams rather than
 * longer shingles because an SMS is short: one changed word touches a smaller
 * share of its trigrams than of its 4-grams, and the test on campaign
 * variants (fingerprint.test.ts) keeps more one-word edits within the
 * threshold with trigrams while unrelated spam stays far beyond it.
 *
 * Clustering: two texts are near-duplicates when their distance is at most
 * NEAR_DUPLICATE_MAX_DISTANCE. To find candidates without scanning every
 * campaign, the 64 bits are cut into SIMHASH_BANDS bands and a campaign is
 * indexed under each band's value: two hashes within the threshold differ in
 * at most NEAR_DUPLICATE_MAX_DISTANCE bits, so by pigeonhole at least one
 * band has no differing bit and both are indexed under its key.
 */

/** Largest Hamming distance between the SimHashes of two near-duplicate texts. */
export const NEAR_DUPLICATE_MAX_DISTANCE = 5;
/** Bands for the candidate index: one more than the threshold, so every near-duplicate shares a band (10 or 11 bits each). */
export const SIMHASH_BANDS = NEAR_DUPLICATE_MAX_DISTANCE + 1;
/** Characters per shingle. */
export const SHINGLE_LENGTH = 3;

const HEX64 = /^[0-9a-f]{16}$/;
/** Bound once: the hot loop then does no global look-up (under Jest's sandbox each `Math.imul` look-up costs ~100×). */
const imul = Math.imul;

/** SHA-256 (hex) of the masked text: identical variants of a campaign have the same one. */
export function exactFingerprint(masked: string): string {
  return createHash('sha256').update(masked, 'utf8').digest('hex');
}

/** Bit planes of 32 counters (see bit-votes.ts), reused from text to text. */
const HIGH = new Int32Array(32);
const LOW = new Int32Array(32);

/** 64-bit SimHash of the masked text over character trigrams, as 16 lower-case hex digits. */
export function simhash(masked: string): string {
  const length = masked.length;
  if (length === 0) return '0'.repeat(16);
  const shingles = Math.max(1, length - SHINGLE_LENGTH + 1);
  // Bit i is set when more than half the shingles set it. Bit-sliced counters add a
  // shingle's hash in a few word operations, where a counter per bit took 64 additions.
  HIGH.fill(0);
  LOW.fill(0);
  for (let i = 0; i < shingles; i++) {
    // Three UTF-16 code units packed into two 32-bit words (absent ones are 0 in a text shorter than a shingle).
    const first = ((code(masked, i) << 16) | code(masked, i + 1)) >>> 0;
    const second = code(masked, i + 2);
    addToCounts(HIGH, murmur3(first, second, 0x9747b28c));
    addToCounts(LOW, murmur3(first, second, 0x5bd1e995));
  }
  return hex32(majority(HIGH, shingles)) + hex32(majority(LOW, shingles));
}

/** Number of differing bits between two SimHashes. */
export function hammingDistance(a: string, b: string): number {
  assertHash(a);
  assertHash(b);
  return (
    popcount32(Number.parseInt(a.slice(0, 8), 16) ^ Number.parseInt(b.slice(0, 8), 16)) +
    popcount32(Number.parseInt(a.slice(8), 16) ^ Number.parseInt(b.slice(8), 16))
  );
}

/**
 * Index keys of a SimHash: its 64 bits cut into `bands` contiguous bands of
 * nearly equal width (the first ones one bit wider when 64 does not divide),
 * each as `b{index}:{hex value}`. Hashes that differ in fewer than `bands`
 * bits share at least one key.
 */
export function simhashBands(hash: string, bands: number = SIMHASH_BANDS): string[] {
  assertHash(hash);
  if (!Number.isInteger(bands) || bands < 1 || bands > 64) throw new RangeError('bands must be an integer from 1 to 64');
  const value = BigInt(`0x${hash}`);
  const keys: string[] = [];
  let shift = 64;
  for (let band = 0; band < bands; band++) {
    const width = Math.floor(64 / bands) + (band < 64 % bands ? 1 : 0);
    shift -= width;
    const part = (value >> BigInt(shift)) & ((1n << BigInt(width)) - 1n);
    keys.push(`b${band}:${part.toString(16).padStart(Math.ceil(width / 4), '0')}`);
  }
  return keys;
}

function code(text: string, index: number): number {
  return index < text.length ? text.charCodeAt(index) : 0;
}

/** MurmurHash3 (x86, 32-bit) of two 32-bit words: cheap, and every input bit reaches every output bit. */
function murmur3(first: number, second: number, seed: number): number {
  let h = seed;
  h = mixBlock(h, first);
  h = mixBlock(h, second);
  return fmix32(h ^ 8);
}

function mixBlock(h: number, block: number): number {
  let k = imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = imul(k, 0x1b873593);
  let mixed = h ^ k;
  mixed = (mixed << 13) | (mixed >>> 19);
  return (imul(mixed, 5) + 0xe6546b64) | 0;
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

function assertHash(hash: string): void {
  if (!HEX64.test(hash)) throw new RangeError('a SimHash is 16 lower-case hex digits');
}
