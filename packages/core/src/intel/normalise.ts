import { domainToASCII } from 'node:url';
import { registrableDomain } from './hosts';
import { findEmails, findLinks, MAX_SCAN_CHARS } from './links';

/**
 * Turning a reported spam text into comparable forms: `normaliseText` undoes
 * the tricks spammers use to defeat filters (look-alike characters, invisible
 * characters, entities, "hxxp://x[.]com"), and `maskText` then replaces the
 * parts that vary between messages of one campaign, so that the variants
 * collapse into one text. Pure functions.
 */

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', pound: '£', euro: '€' };
const ENTITY = /&(?:(amp|lt|gt|quot|apos|nbsp|pound|euro)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi;
/**
 * Characters that show nothing but split words for a filter: zero-width
 * spaces and joiners, soft hyphen, bidirectional controls, word joiner,
 * invisible operators, variation selectors, byte-order mark.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- the combining joiner and variation selectors are listed to be removed one by one
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
const CONTROL = /\p{Cc}/gu;

const WORDISH = String.raw`[\p{L}\p{N}]`;
/** "x[.]com", "x (dot) com", "x{.}com" between two letters or digits. */
const BRACKETED_DOT = new RegExp(String.raw`(?<=${WORDISH})\s?[\[({]\s?(?:\.|dot)\s?[\])}]\s?(?=${WORDISH})`, 'giu');
/** "john[at]x.com", "john(@)x.com". */
const BRACKETED_AT = new RegExp(String.raw`(?<=${WORDISH})\s?[\[({](?:@|at)[\])}]\s?(?=${WORDISH})`, 'giu');
/** "hxxps[:]//", "https[://]", "x.com[/]pay". */
const BRACKETED_PUNCTUATION = /[[({](:|:\/\/|\/)[\])}]/g;
const HXXP = /\bh(?:xx|\*\*)p(s?)(?=:|\[:|\(:|\{:)/gi;
/** "example dot com", "usps dot redelivery dot top": labels joined by the word "dot". */
const SPOKEN_DOTS =
  /(?<![\p{L}\p{N}-])[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\s+dot\s+[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+/giu;
/**
 * Top-level domains that may end a name spelt with " dot ": country codes
 * except those that are everyday words ("join the dot to …" is no link to
 * Tonga), and the generic ones spam uses that are not words ("tap the dot
 * photo" is no link either, though .photo exists).
 */
const WORD_CCTLDS: ReadonlySet<string> = new Set([
  'ai',
  'am',
  'as',
  'at',
  'be',
  'by',
  'do',
  'go',
  'id',
  'in',
  'is',
  'it',
  'me',
  'my',
  'no',
  'so',
  'to',
  'us',
]);
const SPOKEN_GTLDS: ReadonlySet<string> = new Set([
  'com',
  'net',
  'org',
  'info',
  'biz',
  'top',
  'xyz',
  'online',
  'site',
  'icu',
  'cyou',
  'buzz',
  'sbs',
  'cfd',
  'mobi',
  'asia',
  'vip',
]);

/**
 * Text with the filter-evading tricks undone but case kept (paths of links
 * are case-sensitive): HTML entities decoded, invisible characters removed,
 * control characters made spaces, NFKC (full-width and look-alike
 * compatibility characters to plain ones), and links de-obfuscated.
 */
export function deobfuscate(text: string): string {
  const plain = text
    .slice(0, MAX_SCAN_CHARS * 2)
    .replace(ENTITY, decodeEntity)
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .normalize('NFKC');
  return plain
    .replace(HXXP, (_match, s: string) => `http${s.toLowerCase()}`)
    .replace(BRACKETED_PUNCTUATION, (_match, punctuation: string) => punctuation)
    .replace(BRACKETED_DOT, '.')
    .replace(BRACKETED_AT, '@')
    .replace(SPOKEN_DOTS, joinSpokenDots);
}

/**
 * The text as the clustering and classification compare it: de-obfuscated
 * (see `deobfuscate`), lower case (locale-independent), whitespace collapsed
 * to single spaces, trimmed. Only the first 32,768 characters are read, which
 * bounds the work on hostile input; an SMS is far shorter.
 */
export function normaliseText(text: string): string {
  return deobfuscate(text).toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Longest text `cleanText` reads: a concatenated SMS is at most about 1,600 characters. */
export const CLEAN_MAX_CHARS = 2_000;

/** Windows-1252 punctuation that was decoded as Latin-1 (U+0091–U+0097), as it was meant. */
const C1_PUNCTUATION: Readonly<Record<string, string>> = {
  '\u0091': "'",
  '\u0092': "'",
  '\u0093': '"',
  '\u0094': '"',
  '\u0095': '*',
  '\u0096': '-',
  '\u0097': '-',
};

/**
 * The text as a reader sees it, for the classifier and the language guess: the first
 * 2,000 characters, Windows-1252 punctuation mis-decoded as C1 controls repaired, then
 * `deobfuscate`d, curly quotes made straight (so "don’t" and "don't" are one word),
 * whitespace collapsed and trimmed. Case is kept (shouting is a signal).
 */
export function cleanText(text: string): string {
  const head = text.length > CLEAN_MAX_CHARS ? text.slice(0, CLEAN_MAX_CHARS) : text;
  return deobfuscate(head.replace(/[\u0091-\u0097]/g, (c) => C1_PUNCTUATION[c] ?? ' '))
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Masks the parts of a normalised text that vary between messages of one
 * campaign, so that its variants give the same text. In this order, each
 * rule on what the earlier ones left:
 *
 * - e-mail addresses → `<email>`;
 * - links, with or without scheme → `<url>` (not the domain: campaigns rotate domains);
 * - money: a currency sign or code before a number, or a currency word after it
 *   (£12.50, $3, € 5, rp 1.000.000, 1.000.000 rupiah, 50 euros, 100元) → `<amount>`;
 * - phone numbers: 7 to 15 digits, with or without +, spaces, dots, dashes, parentheses → `<phone>`;
 * - the name after a greeting at the start of a sentence (hi, hello, dear, hey, bonjour,
 *   hola, hallo, ciao, olá): one word, or two when a comma follows ("dear john smith,") → `<name>`;
 * - tracking codes: 6 or more letters and digits, with both → `<token>`;
 * - every other run of digits → `<num>`.
 */
export function maskText(normalised: string): string {
  const text = normalised.slice(0, MAX_SCAN_CHARS);
  const emails = findEmails(text);
  const links = findLinks(text, emails);
  const spans = [...emails.map((e) => ({ ...e, mask: '<email>' })), ...links.map((l) => ({ ...l, mask: '<url>' }))].sort(
    (a, b) => a.start - b.start,
  );
  let masked = '';
  let at = 0;
  for (const span of spans) {
    masked += `${text.slice(at, span.start)}${span.mask}`;
    at = span.end;
  }
  masked += text.slice(at);
  return (
    masked
      // A link whose host is no registrable domain (an IP, a reserved or made-up TLD) is still a link here.
      .replace(SCHEME_LINK, '<url>')
      .replace(AMOUNT, '<amount>')
      .replace(PHONE, '<phone>')
      .replace(GREETING_NAME, (_match, greeting: string) => `${greeting} <name>`)
      .replace(TOKEN, '<token>')
      .replace(DIGITS, '<num>')
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

/** A number as amounts are written: 12, 12.50, 1,000.00, 1.000.000, 1 000,50. */
const NUMBER = String.raw`\d+(?:[.,' ]\d{3}(?!\d))*(?:[.,]\d{1,2}(?!\d))?`;
const CURRENCY_SIGN = String.raw`[$£€¥₹₩₱₦₺₽฿₫₪₴₲₵₡₭₮₸₼₾元円]`;
const CURRENCY_CODE = String.raw`(?:rp|idr|usd|us\$|gbp|eur|inr|rs|php|ngn|kes|zar|aed|sar|qar|egp|mad|cny|rmb|hkd|hk\$|sgd|s\$|myr|rm|thb|vnd|jpy|krw|chf|cad|c\$|aud|a\$|nzd|brl|r\$|mxn|ars|cop|clp|pen|pkr|bdt|lkr|try|tl|pln|zł|czk|huf|ron|sek|nok|dkk|rub|uah|ils|dh|fcfa|cfa|xof|xaf)\.?`;
const CURRENCY_WORD = String.raw`(?:rupiah|rupees?|dollars?|euros?|pounds?|quid|pence|cents?|yuan|renminbi|pesos?|naira|shillings?|rand|dirhams?|riyals?|baht|dong|won|yen|reais|real|lira|zlotys?|zł|francs?|ringgit|usd|gbp|eur|idr|inr|cny|rmb|aed|sar|fcfa|cfa|xof|xaf|元|块|円|萬|万)`;
const AMOUNT = new RegExp(
  String.raw`(?:${CURRENCY_SIGN}|(?<![\p{L}\p{N}])${CURRENCY_CODE})\s?${NUMBER}(?:\s?(?:k|m|jt|juta|ribu|rb|mil|million|billion))?(?![\p{L}\p{N}])` +
    String.raw`|(?<![\p{L}\p{N}.,])${NUMBER}\s?(?:(?:k|m|jt|juta|ribu|rb|mil|million|billion)\s?)?(?:${CURRENCY_SIGN}|${CURRENCY_WORD}(?![\p{L}\p{N}]))`,
  'giu',
);
const PHONE = /(?<![\p{L}\p{N}+])\+?\(?\d(?:[ ().-]{0,2}\d){6,14}(?!\p{N})/gu;
const GREETING_NAME =
  /(?<=^|[.!?:;]\s?)(hi|hey|hello|dear|bonjour|hola|hallo|ciao|olá|ola)\s+(?:(?:mr|mrs|ms|miss|dr|sir|madam|mme|mlle|sr|sra|srta|herr|frau)\.?\s+)?\p{L}[\p{L}\p{M}'’-]*(?:\s+\p{L}[\p{L}\p{M}'’-]*(?=\s?[,!]))?/giu;
const TOKEN = /(?<![\p{L}\p{N}])(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{6,}(?![\p{L}\p{N}])/giu;
const DIGITS = /\p{Nd}+/gu;
const SCHEME_LINK = /(?<![\p{L}\p{N}])(?:https?|ftp):\/\/[^\s<>"]+/giu;

function decodeEntity(match: string, name: string | undefined, decimal: string | undefined, hex: string | undefined): string {
  if (name) return ENTITIES[name.toLowerCase()] ?? match;
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : match;
}

function joinSpokenDots(match: string): string {
  const labels = match.split(/\s+dot\s+/i);
  const tld = labels[labels.length - 1]!.toLowerCase();
  const spokenTld = /^[a-z]{2}$/.test(tld) ? !WORD_CCTLDS.has(tld) : SPOKEN_GTLDS.has(tld);
  if (!spokenTld) return match;
  const ascii = domainToASCII(labels.join('.').toLowerCase());
  return ascii && registrableDomain(ascii) ? labels.join('.') : match;
}
