/**
 * Text → sparse feature vector, with the hashing trick. Three families, each scaled to
 * unit length and then weighted, so no family drowns the others:
 *   - words: unigrams and bigrams of normalised tokens (numbers by shape, Han characters
 *     one by one and in pairs, since Chinese has no spaces);
 *   - chars: character n-grams of the lower-cased text with digits folded to 0 (language
 *     independent; they carry Chinese, misspellings and number shapes);
 *   - signals: the hand-written signals (links, numbers, money, lures, shouting).
 */
import { cleanText, countScripts, fmix32 as fmix, fnv1a as fnv, hashString as coreHash } from '@srs/core';
import { extractSignals, signalFeatures, type Signals } from './signals';

/** Bound once: reading `Math` in a hot loop is slow where the global object is a sandbox (jest's vm contexts). */
const { imul, sqrt, max } = Math;

export interface FeatureConfig {
  /** Feature indices are hashed into 2^hashBits buckets. */
  hashBits: number;
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  weights: { word: number; char: number; signal: number };
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  hashBits: 22,
  charMin: 2,
  charMax: 5,
  wordBigrams: true,
  weights: { word: 1, char: 1, signal: 1.2 },
};

/**
 * Digits masked as 'x' (the Chinese 800k corpus writes every digit so): runs of 4 or more,
 * or of 2 or more touching a digit or a non-Latin letter, read as digits, so a masked phone
 * number looks like a real one.
 */
const MASKED_DIGITS = /(?<![a-wyz])[xX]{4,}(?![a-wyz])|(?<=[\p{N}\p{Script=Han}])[xX]{2,}|[xX]{2,}(?=[\p{N}\p{Script=Han}])/gu;

export function unmaskDigits(clean: string): string {
  return clean.indexOf('xx') < 0 && clean.indexOf('XX') < 0 ? clean : clean.replace(MASKED_DIGITS, (m) => '0'.repeat(m.length));
}

/**
 * Shape features that mean the same in every language and script: how much of the text is
 * digits, how many numbers and how long the longest, which scripts it mixes, a sender tag
 * in brackets (【…】, [..]) at the start, length in code points.
 */
export function shapeFeatures(clean: string): string[] {
  const out: string[] = [];
  const runs = clean.match(/\p{N}+/gu) ?? [];
  let digits = 0;
  let longest = 0;
  for (const r of runs) {
    digits += r.length;
    if (r.length > longest) longest = r.length;
  }
  const length = [...clean].length;
  const share = length === 0 ? 0 : digits / length;
  out.push(`digits:${share === 0 ? 0 : share < 0.05 ? 1 : share < 0.15 ? 2 : share < 0.3 ? 3 : 4}`);
  out.push(`numbers:${Math.min(runs.length, 4)}`);
  out.push(`longest-number:${longest === 0 ? 0 : longest < 4 ? 1 : longest < 7 ? 2 : longest < 11 ? 3 : 4}`);
  const c = countScripts(clean);
  const other = c.letters - c.latin;
  out.push(
    `script:${c.letters === 0 ? 'none' : other === 0 ? 'latin' : c.latin === 0 ? 'other' : c.latin * 4 < c.letters ? 'other+latin' : 'latin+other'}`,
  );
  if (/^\s*[【[(（〔<][^\]】)）〕>]{1,24}[\]】)）〕>]/u.test(clean) || /[【[][^\]】]{1,24}[\]】]\s*$/u.test(clean)) out.push('sender-tag');
  out.push(`chars:${length < 10 ? 0 : length < 25 ? 1 : length < 45 ? 2 : length < 70 ? 3 : length < 100 ? 4 : length < 140 ? 5 : 6}`);
  if (/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]/u.test(clean)) out.push('emoji');
  return out;
}

export interface Features {
  /** Distinct bucket indices (in no particular order). */
  indices: Int32Array;
  values: Float32Array;
  clean: string;
  signals: Signals;
}

const FAMILY_WORD = 0x9e3779b1 | 0;
const FAMILY_CHAR = 0x85ebca6b | 0;
const FAMILY_SIGNAL = 0xc2b2ae35 | 0;

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 0x20;
const WORD_SEED = (FNV_OFFSET ^ FAMILY_WORD) | 0;

/** FNV-1a over UTF-16 code units, seeded per family, finished with the project's one mixer (@srs/core fmix32). */
export function hashString(text: string, seed: number): number {
  return coreHash(text, seed);
}

const TOKEN = /https?:\/\/\S+|(?<![\p{Script=Latin}\p{N}@.-])www\.\S+|[\p{L}\p{M}\p{N}]+(?:'[\p{L}]+)?|[£$€¥₹!?%]/giu;
const HAN_SPLIT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+/gu;
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** The word tokens of a text: lower case, numbers as shapes, spaceless scripts split into characters. */
export function wordTokens(clean: string, signals?: Signals): string[] {
  const tokens: string[] = [];
  for (const m of clean.toLowerCase().matchAll(TOKEN)) {
    const token = m[0];
    if (/^(?:https?:\/\/|www\.)/.test(token)) {
      tokens.push('<url>');
      continue;
    }
    if (SPACELESS.test(token)) {
      for (const part of token.match(HAN_SPLIT) ?? []) {
        if (SPACELESS.test(part)) for (const ch of part) tokens.push(ch);
        else tokens.push(...shape(part));
      }
      continue;
    }
    tokens.push(...shape(token));
  }
  if (signals) for (const host of signals.hosts) tokens.push(`host:${host.replace(/^www\./, '')}`);
  return tokens;
}

function shape(token: string): string[] {
  if (/^\p{N}+$/u.test(token)) {
    const digits = token.replace(/\D/g, '');
    const n = digits.length;
    // A number is its length and its first digits: 0906… and 0800… are different stories.
    return n >= 4 ? [`<num${Math.min(n, 13)}:${digits.slice(0, 2)}>`] : [`<num${n}>`];
  }
  if (/\p{N}/u.test(token) && /\p{L}/u.test(token)) {
    // 150p, 2nite, 4u, txt80086: keep the token and its shape (digits folded).
    return [token, token.replace(/\p{N}/gu, '0')];
  }
  return [token];
}

/**
 * A scratch buffer reused from call to call, grown when a longer text needs
 * it: a message is turned into features in one synchronous run, and each
 * thread has its own module.
 */
class ScratchInts {
  private buffer = new Int32Array(1024);

  atLeast(length: number): Int32Array {
    if (this.buffer.length < length) this.buffer = new Int32Array(length);
    return this.buffer;
  }
}

const WORD_BUCKETS = new ScratchInts();
const CODE_POINTS = new ScratchInts();
const CHAR_BUCKETS = new ScratchInts();
const SIGNAL_BUCKETS = new ScratchInts();

export function extractFeatures(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Features {
  const raw = typeof text === 'string' ? text : String(text ?? '');
  const clean = unmaskDigits(cleanText(raw));
  const signals = extractSignals(clean, raw);
  const mask = (1 << config.hashBits) - 1;

  // Words; a bigram is hashed as "previous token", without building that string.
  const tokens = wordTokens(clean, signals);
  const words = WORD_BUCKETS.atLeast(tokens.length * 2);
  let nWords = 0;
  let previous = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as string;
    const own = fnv(token, WORD_SEED);
    words[nWords++] = fmix(own) & mask;
    if (config.wordBigrams && t > 0 && !token.startsWith('host:'))
      words[nWords++] = fmix(fnv(token, imul(previous ^ SPACE, 0x01000193))) & mask;
    previous = own;
  }

  // Characters, by code point (an emoji or a rare Han character is one character), digits folded to 0.
  const folded = ` ${clean.toLowerCase().replace(/\p{N}/gu, '0')} `;
  const codes = CODE_POINTS.atLeast(folded.length);
  let nCodes = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.codePointAt(i) as number;
    codes[nCodes++] = c;
    if (c > 0xffff) i++;
  }
  const span = max(0, config.charMax - config.charMin + 1);
  const chars = CHAR_BUCKETS.atLeast(nCodes * span);
  let nChars = 0;
  for (let i = 0; i < nCodes; i++) {
    let h = (FNV_OFFSET ^ FAMILY_CHAR) | 0;
    for (let n = 1; n <= config.charMax && i + n <= nCodes; n++) {
      h ^= codes[i + n - 1] as number;
      h = imul(h, 0x01000193);
      if (n >= config.charMin) chars[nChars++] = fmix(h ^ n) & mask;
    }
  }

  // Signals.
  const names = [...signalFeatures(signals), ...shapeFeatures(clean)];
  const sig = SIGNAL_BUCKETS.atLeast(names.length);
  for (let i = 0; i < names.length; i++) sig[i] = hashString(names[i] as string, FAMILY_SIGNAL) & mask;

  // Each family: distinct buckets, scaled to unit length times the family weight; then summed.
  MERGE.reset(nWords + nChars + names.length);
  MERGE.family(words, nWords, config.weights.word);
  MERGE.family(chars, nChars, config.weights.char);
  MERGE.family(sig, names.length, config.weights.signal);
  const { indices, values } = MERGE.result();
  return { indices, values, clean, signals };
}

/**
 * Sums families of bucket indices into one sparse vector, keeping first-seen
 * order: an open-addressing table whose slots are marked with a generation
 * number, so starting again costs nothing (no clearing), and which is kept for
 * the next message. Hash sets rather than sorting: typed-array sort is slow in
 * some hosts (jest's vm contexts).
 */
class Merge {
  private keys = new Int32Array(0);
  /** position of the slot's key in the output */
  private positions = new Int32Array(0);
  /** the generation that filled the slot; older means empty */
  private filled = new Uint32Array(0);
  /** the family that last counted the slot, so a family counts each bucket once */
  private counted = new Uint32Array(0);
  private mask = 0;
  private generation = 0;
  private familyMark = 0;
  private familySlots = new Int32Array(0);
  private indices = new Int32Array(0);
  private values = new Float64Array(0);
  private size = 0;

  /** Starts a new vector of about `expected` entries. */
  reset(expected: number): void {
    if (this.keys.length < expected * 2 || this.keys.length === 0) {
      let capacity = 1024;
      while (capacity < expected * 2) capacity *= 2;
      this.keys = new Int32Array(capacity);
      this.positions = new Int32Array(capacity);
      this.filled = new Uint32Array(capacity);
      this.counted = new Uint32Array(capacity);
      this.mask = capacity - 1;
      this.familySlots = new Int32Array(capacity);
      this.indices = new Int32Array(capacity);
      this.values = new Float64Array(capacity);
      this.generation = 0;
      this.familyMark = 0;
    }
    // Marks wrap after 2^32 - 1 messages: clear once then.
    if (this.generation === 0xffffffff || this.familyMark >= 0xfffffff0) {
      this.filled.fill(0);
      this.counted.fill(0);
      this.generation = 0;
      this.familyMark = 0;
    }
    this.generation++;
    this.size = 0;
  }

  /** Adds the distinct buckets of xs[0, n), each weighing weight / √(distinct count). */
  family(xs: Int32Array, n: number, weight: number): void {
    if (n === 0 || weight === 0) return;
    const mark = ++this.familyMark;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const slot = this.slotOf(xs[i] as number);
      if (this.counted[slot] !== mark) {
        this.counted[slot] = mark;
        this.familySlots[distinct++] = slot;
      }
    }
    const value = weight / sqrt(distinct);
    for (let i = 0; i < distinct; i++) {
      const at = this.positions[this.familySlots[i] as number] as number;
      this.values[at] = (this.values[at] as number) + value;
    }
  }

  /** The table's slot for key, taken (with a value of 0) when key is new. */
  private slotOf(key: number): number {
    let slot = (imul(key, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      if (this.filled[slot] !== this.generation) {
        this.filled[slot] = this.generation;
        this.keys[slot] = key;
        this.positions[slot] = this.size;
        this.indices[this.size] = key;
        this.values[this.size] = 0;
        this.size++;
        return slot;
      }
      if (this.keys[slot] === key) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  result(): { indices: Int32Array; values: Float32Array } {
    return { indices: this.indices.slice(0, this.size), values: new Float32Array(this.values.subarray(0, this.size)) };
  }
}

const MERGE = new Merge();
