/**
 * Text normalisation shared by every feature family, the rules and the language guess.
 * Pure and total: any string in, a string out.
 */

/** Longest text that is looked at; a concatenated SMS is at most ~1,600 characters. */
export const MAX_CHARS = 2_000;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', pound: '£', euro: '€' };

/** Windows-1252 punctuation that was decoded as Latin-1 (U+0091–U+0097) and other look-alikes. */
const C1: Record<string, string> = { '\u0091': "'", '\u0092': "'", '\u0093': '"', '\u0094': '"', '\u0095': '*', '\u0096': '-', '\u0097': '-' };

/**
 * Clean text as a human reads it: NFKC (full-width letters and digits become ASCII), C1
 * punctuation and HTML entities repaired, defanged URLs (hxxp, [.]) refanged, invisible
 * characters dropped, whitespace collapsed. Case is kept (the ALL-CAPS signal needs it).
 */
export function cleanText(input: string): string {
  let text = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  text = text.normalize('NFKC');
  text = text.replace(/[\u0091-\u0097]/g, (c) => C1[c] ?? ' ');
  text = text.replace(/&(lt|gt|amp|quot|apos|nbsp|pound|euro);/gi, (_, name: string) => ENTITIES[name.toLowerCase()] ?? ' ');
  text = text.replace(/&#(\d{1,6});/g, (_, code: string) => safeCodePoint(Number(code)));
  // Zero-width characters and soft hyphens are used to dodge filters; the BOM too.
  text = text.replace(/[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g, '');
  // Curly quotes to straight ones, so "don’t" and "don't" are one word.
  text = text.replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'").replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"');
  // Defanged links: hxxp://, [.] and (dot) are refanged so they read as the links they are.
  text = text.replace(/\[\.\]|\(\.\)|\{\.\}/g, '.').replace(/\bh(?:xx|\*\*|tt)p(s?)(?=\[?:\]?\/\/)/gi, 'http$1').replace(/\[:\]\/\//g, '://');
  text = text.replace(/\s+/gu, ' ').trim();
  return text;
}

function safeCodePoint(code: number): string {
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return ' ';
  return String.fromCodePoint(code);
}

/** Lower case for features and rules. */
export function lower(text: string): string {
  return text.toLowerCase();
}
