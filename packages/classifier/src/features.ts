/**
 * Text → sparse feature vector, with the hashing trick. Three families, each scaled to
 * unit length and then weighted, so no family drowns the others:
 *   - words: unigrams and bigrams of normalised tokens (numbers by shape, Han characters
 *     one by one and in pairs, since Chinese has no spaces);
 *   - chars: character n-grams of the lower-cased text with digits folded to 0 (language
 *     independent; they carry Chinese, misspellings and number shapes);
 *   - signals: the hand-written signals (links, numbers, money, lures, shouting).
 */
import { cleanText } from './normalize';
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
  weights: { word: 1, char: 1, signal: 0.6 },
};

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

/** FNV-1a over UTF-16 code units, seeded per family, finished with murmur3's mixer. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return fmix(h);
}

function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TOKEN = /https?:\/\/\S+|(?<![\p{Script=Latin}\p{N}@.-])www\.\S+|[\p{L}\p{M}\p{N}]+(?:'[\p{L}]+)?|[£$€¥₹!?%]/giu;
const HAN_SPLIT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+/gu;
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

export function extractFeatures(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Features {
  const raw = typeof text === 'string' ? text : String(text ?? '');
  const clean = cleanText(raw);
  const signals = extractSignals(clean, raw);
  const mask = (1 << config.hashBits) - 1;

  // Words.
  const tokens = wordTokens(clean, signals);
  const words: number[] = [];
  let previous: string | undefined;
  for (const token of tokens) {
    words.push(hashString(token, FAMILY_WORD) & mask);
    if (config.wordBigrams && previous !== undefined && !token.startsWith('host:')) words.push(hashString(`${previous} ${token}`, FAMILY_WORD) & mask);
    previous = token;
  }

  // Characters, by code point (an emoji or a rare Han character is one character), digits folded to 0.
  const folded = ` ${clean.toLowerCase().replace(/\p{N}/gu, '0')} `;
  const codes: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const c = folded.codePointAt(i) as number;
    codes.push(c);
    if (c > 0xffff) i++;
  }
  const span = max(0, config.charMax - config.charMin + 1);
  const chars = new Int32Array(codes.length * span);
  let nChars = 0;
  for (let i = 0; i < codes.length; i++) {
    let h = (0x811c9dc5 ^ FAMILY_CHAR) | 0;
    for (let n = 1; n <= config.charMax && i + n <= codes.length; n++) {
      h ^= codes[i + n - 1] as number;
      h = imul(h, 0x01000193);
      if (n >= config.charMin) chars[nChars++] = fmix(h ^ n) & mask;
    }
  }

  // Signals.
  const sig = signalFeatures(signals).map((name) => hashString(name, FAMILY_SIGNAL) & mask);

  // Each family: distinct buckets, scaled to unit length times the family weight; then summed.
  // Hash sets rather than sorting: typed-array sort is slow in some hosts (jest's vm contexts).
  const families: Array<[number[], number]> = [
    [distinct(words, 0, words.length), config.weights.word],
    [distinct(chars, 0, nChars), config.weights.char],
    [distinct(sig, 0, sig.length), config.weights.signal],
  ];
  const merged = new IntMap(families.reduce((n, [f]) => n + f.length, 0));
  for (const [family, weight] of families) {
    if (family.length === 0 || weight === 0) continue;
    const value = weight / sqrt(family.length);
    for (const index of family) merged.add(index, value);
  }
  const { indices, values } = merged;
  return { indices: Int32Array.from(indices), values: Float32Array.from(values), clean, signals };
}

/** Distinct values of xs[from, to), in first-seen order. */
function distinct(xs: ArrayLike<number>, from: number, to: number): number[] {
  const seen = new IntMap(to - from);
  for (let i = from; i < to; i++) seen.add(xs[i] as number, 0);
  return seen.indices;
}

/** A small open-addressing map from non-negative ints to summed values, keeping first-seen order. */
class IntMap {
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly indices: number[] = [];
  readonly values: number[] = [];

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  add(key: number, value: number): void {
    let slot = (imul(key, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const k = this.keys[slot] as number;
      if (k === key) {
        const at = this.slots[slot] as number;
        this.values[at] = (this.values[at] as number) + value;
        return;
      }
      if (k === -1) {
        this.keys[slot] = key;
        this.slots[slot] = this.indices.length;
        this.indices.push(key);
        this.values.push(value);
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
