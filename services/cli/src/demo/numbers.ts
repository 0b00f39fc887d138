import type { Random } from './random';

/**
 * Phone numbers for the demo. Where a regulator reserves numbers for fiction
 * (Ofcom's drama numbers in the UK, ARCEP's in France, 555-01xx in North
 * America, ACMA's in Australia) the demo uses them; for Nigeria, India and
 * Indonesia, which reserve none, it makes numbers up inside valid mobile
 * blocks. Reporters' numbers only ever reach the intake, which keeps a keyed
 * pseudonym of them; the demo never prints one.
 */

/** A block of numbers: a fixed E.164 prefix, then `digits` free digits, of which `count` from `from` are used. */
export interface NumberBlock {
  prefix: string;
  digits: number;
  from?: number;
  count?: number;
}

export function blockSize(block: NumberBlock): number {
  return block.count ?? 10 ** block.digits;
}

/**
 * The index-th number of a block, spread over it by a permutation that
 * depends on `offset` (from the seed): distinct indexes give distinct numbers,
 * and they do not look consecutive.
 */
export function numberAt(block: NumberBlock, index: number, offset = 0): string {
  const size = blockSize(block);
  if (index < 0 || index >= size) throw new RangeError(`index ${index} is outside a block of ${size} numbers`);
  const stride = STRIDES.find((s) => gcd(s, size) === 1)!;
  const value = (block.from ?? 0) + ((index * stride + offset) % size);
  return `${block.prefix}${String(value).padStart(block.digits, '0')}`;
}

/** Primes well above any block size here except the largest, coprime with powers of ten. */
const STRIDES = [7_919_333, 104_729, 7_919, 1_009, 7, 1];

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** ACMA's fictitious Australian mobile numbers are single numbers, not a block. */
const AU_FICTION = ['+61491570006', '+61491570110', '+61491570156', '+61491570157', '+61491570158', '+61491570159'];

/** Where spam senders' long numbers come from, by country. */
export const SENDER_BLOCKS: Readonly<Record<string, readonly NumberBlock[]>> = {
  // Ofcom drama numbers: London 020 7946 0xxx, Leeds 0113 496 0xxx, Manchester 0161 496 0xxx
  GB: [
    { prefix: '+44207946', digits: 4, from: 0, count: 1000 },
    { prefix: '+44113496', digits: 4, from: 0, count: 1000 },
    { prefix: '+44161496', digits: 4, from: 0, count: 1000 },
  ],
  // ARCEP fiction numbers: 06 39 98 xx xx (the upper part; reporters use the lower) and 01 99 00 xx xx
  FR: [
    { prefix: '+3363998', digits: 4, from: 8000, count: 2000 },
    { prefix: '+3319900', digits: 4 },
  ],
  US: [{ prefix: '+1202555', digits: 4, from: 100, count: 100 }],
  NG: [{ prefix: '+234809999', digits: 4 }],
  IN: [{ prefix: '+9199999', digits: 5 }],
  ID: [{ prefix: '+62857', digits: 8 }],
};

export const SENDER_COUNTRIES = [...Object.keys(SENDER_BLOCKS), 'AU'] as const;

/** A spam sender's number in that country. */
export function senderNumber(country: string, random: Random): string {
  if (country === 'AU') return random.pick(AU_FICTION);
  const blocks = SENDER_BLOCKS[country];
  if (!blocks) throw new RangeError(`no sender numbers for ${country}`);
  const block = random.pick(blocks);
  return numberAt(block, random.int(0, blockSize(block) - 1));
}

/** Short codes spam comes from (premium services, bulk senders), by the operator's country. */
export const SHORT_CODES: Readonly<Record<string, readonly string[]>> = {
  GB: ['61777', '80050', '82277', '88099', '69669'],
  FR: ['38015', '36111', '62026'],
  ID: ['99876', '97788', '1717'],
};
