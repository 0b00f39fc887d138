import { domainToUnicode } from 'node:url';
import { registrableDomain, type RegistrableDomain } from './hosts';

/**
 * Finding web links and e-mail addresses in a (de-obfuscated) message. Shared by
 * masking and extraction so that both agree on what a link is. Internal to `intel/`.
 *
 * Scripts written without spaces (Chinese, Japanese, Korean) let a link run into
 * the prose around it: "请访问abc.com支付". So a link without a scheme is made of
 * letters of space-separated scripts only, and a link's path stops at the first
 * CJK character or CJK punctuation. A link with a scheme may have a CJK host
 * (http://例子.中国/pay).
 */

/** Longest text scanned: far beyond any SMS (even 10 concatenated segments), and it bounds the work on hostile input. */
export const MAX_SCAN_CHARS = 16_384;

/** Letters a label of a link without scheme may have: scripts written with spaces between words. */
const SPACED_LETTER = String.raw`\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Devanagari}`;
const LABEL_CHAR = `[0-9${SPACED_LETTER}\\p{M}]`;
const LABEL = `${LABEL_CHAR}(?:[0-9${SPACED_LETTER}\\p{M}-]{0,61}${LABEL_CHAR})?`;
/** Top-level label: letters (an IDN one), or its punycode form. */
const TLD = `(?:xn--[a-z0-9-]{1,59}|[${SPACED_LETTER}\\p{M}]{2,63})`;
const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef`;
/** Characters never part of a link as SMS apps linkify them. */
const NOT_IN_URL = '\\s<>"\'`{}|\\\\^';
const PATH = `[/?#][^${NOT_IN_URL}${CJK}]*`;
const PORT = String.raw`(?::\d{1,5})?`;

/** `https://host…` with any host (checked afterwards), or `www.…`/`example.com/…` without scheme. */
const LINK = new RegExp(
  String.raw`\bhttps?://[^${NOT_IN_URL}/?#[\]\u3000-\u303f\uff00-\uffef]+(?:${PATH})?` +
    `|(?<![0-9${SPACED_LETTER}\\p{M}.-])(?:${LABEL}\\.)+${TLD}(?![0-9${SPACED_LETTER}\\p{M}_@-])${PORT}(?:${PATH})?`,
  'giu',
);
/** What may not come just before a link without scheme: it would then be part of a word, an address or another link. */
const GLUED_BEFORE = new RegExp(`[0-9${SPACED_LETTER}\\p{M}@._%+=&~/\\\\-]`, 'u');

/** An address; not the user name of a link ("https://user@host", "http://a:b@host"), though "mailto:x@y" is one. */
const EMAIL = new RegExp(
  String.raw`(?<![a-z0-9._%+\-/]|(?<!mailto):)([a-z0-9._%+-]{1,64})@((?:${LABEL}\.)+${TLD})(?![0-9${SPACED_LETTER}\p{M}_@-])`,
  'giu',
);

/**
 * Two words joined by a full stop, the second capitalised: a sentence missing
 * its space ("is held.Click here", "Hello.How are you"), though .click and
 * .how exist. Domains written in capitals (ROYALMAIL.COM) or with inner
 * capitals or hyphens (Evri-Parcel.Info) are still read.
 */
const SENTENCE_JOIN = /^\p{Lu}?\p{Ll}+\.\p{Lu}\p{Ll}+$/u;
/** Punctuation that ends a sentence rather than a link: "visit x.com/pay." */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>*…-]+$/u;
/** CJK characters a scheme link's host may have run into: "http://例子.中国支付". */
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');

export interface FoundLink {
  /** Span in the scanned text. */
  start: number;
  end: number;
  /** The link as written, trailing punctuation removed. */
  text: string;
  /** WHATWG-serialised URL: scheme added when missing, host in punycode. */
  href: string;
  /** Host name in punycode, without trailing dot. */
  hostname: string;
  /** Path, query and fragment as serialised (`/` when empty). */
  pathAndQuery: string;
  domain: RegistrableDomain;
}

export interface FoundEmail {
  start: number;
  end: number;
  local: string;
  /** Host name of the address, lower-case Unicode. */
  host: string;
}

/** E-mail addresses in the text, in order. */
export function findEmails(text: string): FoundEmail[] {
  const found: FoundEmail[] = [];
  const scanned = text.slice(0, MAX_SCAN_CHARS);
  // Most messages have no @: the scan, costly with its look-behind, is then skipped.
  if (!scanned.includes('@')) return found;
  for (const match of scanned.matchAll(EMAIL)) {
    const local = match[1]!;
    const host = match[2]!;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) continue;
    const url = parseUrl(`http://${host}/`);
    if (!url || !registrableDomain(url.hostname)) continue;
    const start = match.index;
    found.push({ start, end: start + match[0].length, local, host: unicodeHost(url.hostname) });
  }
  return found;
}

/**
 * Links in the text, in order, each resolved to a URL on a real Internet
 * domain. Spans inside `exclude` (e-mail addresses) are skipped.
 */
export function findLinks(text: string, exclude: readonly { start: number; end: number }[] = []): FoundLink[] {
  const scanned = text.slice(0, MAX_SCAN_CHARS);
  const found: FoundLink[] = [];
  for (const match of scanned.matchAll(LINK)) {
    const start = match.index;
    let raw = match[0];
    const hasScheme = /^https?:\/\//i.test(raw);
    if (!hasScheme && GLUED_BEFORE.test(charBefore(scanned, start))) continue;
    if (exclude.some((span) => start < span.end && span.start < start + raw.length)) continue;
    raw = trimTrailingPunctuation(raw);
    if (!hasScheme && SENTENCE_JOIN.test(raw)) continue;
    const link = resolve(raw, hasScheme);
    if (link) found.push({ start, end: start + link.text.length, ...link });
  }
  return found;
}

function resolve(raw: string, hasScheme: boolean): Omit<FoundLink, 'start' | 'end'> | undefined {
  let text = raw;
  // A scheme link glued to CJK prose: drop CJK characters from its end until the host is a domain.
  for (let attempts = 0; attempts < 32; attempts++) {
    const link = resolveExactly(text, hasScheme);
    if (link) return link;
    const last = text.codePointAt(text.length - 1);
    if (!hasScheme || last === undefined || !CJK_CHAR.test(String.fromCodePoint(last))) return undefined;
    text = trimTrailingPunctuation(text.slice(0, last > 0xffff ? -2 : -1));
    if (!text) return undefined;
  }
  return undefined;
}

function resolveExactly(text: string, hasScheme: boolean): Omit<FoundLink, 'start' | 'end'> | undefined {
  const url = parseUrl(hasScheme ? text : `http://${text}`);
  if (!url) return undefined;
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const domain = registrableDomain(url.hostname);
  if (!domain) return undefined;
  return { text, href: url.href, hostname: url.hostname, pathAndQuery: `${url.pathname}${url.search}${url.hash}`, domain };
}

function parseUrl(candidate: string): URL | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Removes sentence punctuation after a link, keeping a closing parenthesis the link itself opened. */
function trimTrailingPunctuation(link: string): string {
  let trimmed = link.replace(TRAILING_PUNCTUATION, '');
  const tail = link.slice(trimmed.length);
  const open = count(trimmed, '(');
  const close = count(trimmed, ')');
  for (let i = 0; i < tail.length && tail[i] === ')' && open > close + i; i++) trimmed += ')';
  return trimmed;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** The whole character (surrogate pair included) just before `index`, or '' at the start. */
function charBefore(text: string, index: number): string {
  if (index === 0) return '';
  const code = text.charCodeAt(index - 1);
  const pairStart = code >= 0xdc00 && code <= 0xdfff && index > 1 ? index - 2 : index - 1;
  return String.fromCodePoint(text.codePointAt(pairStart)!);
}

function unicodeHost(hostnameAscii: string): string {
  // domainToUnicode lower-cases and decodes each xn-- label; it answers '' for what it cannot decode.
  return domainToUnicode(hostnameAscii) || hostnameAscii;
}
