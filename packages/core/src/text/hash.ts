/**
 * The one 32-bit hash mixer of the project: MurmurHash3's finaliser (fmix32), which sends
 * every input bit to every output bit. The SimHash of campaign texts (intel/fingerprint.ts)
 * finishes its MurmurHash3 with it; the classifier's hashed features finish FNV-1a with it.
 */

/** Bound once: under Jest's sandbox each `Math.imul` look-up costs ~100×. */
const imul = Math.imul;

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** MurmurHash3's finaliser: an unsigned 32-bit avalanche of a 32-bit word. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a's state after the UTF-16 code units of `text`, from state `state` (chain it: a bigram continues its first word). */
export function fnv1a(text: string, state: number = FNV_OFFSET): number {
  let h = state | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, FNV_PRIME);
  }
  return h;
}

/** A seeded 32-bit hash of a string: FNV-1a from `FNV_OFFSET ^ seed`, finished with `fmix32`. */
export function hashString(text: string, seed = 0): number {
  return fmix32(fnv1a(text, (FNV_OFFSET ^ seed) | 0));
}
