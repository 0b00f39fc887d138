/**
 * Bit-sliced counters for 32 bits at once: plane j holds bit j of each of the
 * 32 counts, so adding a word's set bits to their counts is a binary increment
 * done on whole words, as many operations as its longest carry. SimHash counts
 * its votes so. Internal to `intel/`.
 */

/** Adds 1 to the counters of the bits set in word; planes has room for 32 planes. */
export function addToCounts(planes: Int32Array, word: number): void {
  let carry = word | 0;
  for (let j = 0; carry !== 0; j++) {
    const plane = planes[j]!;
    planes[j] = plane ^ carry;
    carry &= plane;
  }
}

/** The word whose bit i is set when counter i exceeds half of total (the number of words added). */
export function majority(planes: Int32Array, total: number): number {
  // A count never exceeds total, so the planes above its bit length are clear (and it fits in 30 bits: a string is shorter than 2^30).
  const planesUsed = 32 - Math.clz32(total);
  let word = 0;
  for (let bit = 0; bit < 32; bit++) {
    let count = 0;
    for (let j = 0; j < planesUsed; j++) count |= ((planes[j]! >>> bit) & 1) << j;
    if (count * 2 > total) word |= 1 << bit;
  }
  return word;
}
