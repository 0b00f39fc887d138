import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';
import { boundedMemo } from '../bounded-memo';
import type { ReportedSender } from './types';

/**
 * Reading "who sent the spam" as a subscriber types it: a phone number
 * (international, or national in the operator's country), a short code, or an
 * alphanumeric sender ID. Pure functions, no I/O.
 */

/** Most characters of the sender kept in `display`, so replies quoting it fit one SMS. */
export const SENDER_DISPLAY_MAX = 20;

/** Longest a number may be as typed, separators included ("+44 (0) 7700 900 123" is 20). */
const NUMBER_TOKEN_MAX = 30;
/** Longest input worth looking at: a number token plus a label and quotes. */
const INPUT_MAX = 64;
/** Short codes: 3 to 8 digits. */
const SHORT_CODE = /^[0-9]{3,8}$/;
/** An alphanumeric originator in SMS is at most 11 characters. */
const ALPHANUMERIC_MAX = 11;

/**
 * Service numbers that are neither phone numbers nor 3–8 digit short codes, by
 * operator country: in China bulk senders use 106… numbers of up to 20 digits.
 */
const SERVICE_NUMBERS: Readonly<Partial<Record<CountryCode, RegExp>>> = {
  CN: /^106[0-9]{6,17}$/,
};

/**
 * Labels a subscriber may put before the sender: "from: …", "de : …",
 * "发件人：…", and the scheme of a phone's link to the number (tel:, sms:,
 * smsto:, callto:) pasted as it is.
 */
const LABEL = /^(?:(?:from|de|sender|exp[ée]diteur|remitente|发件人|發件人|المرسل|من|tel|sms|smsto|callto)\s*:\s*|from\s+)/iu;
const QUOTES = `"'\`“”„‟‘’‚‛«»‹›「」『』`;
const LEADING_QUOTES = new RegExp(`^[${QUOTES}\\s]+`, 'u');
const TRAILING_QUOTES = new RegExp(`[${QUOTES}\\s]+$`, 'u');
/** Sentence punctuation after a name: "Amazon." */
const TRAILING_PUNCTUATION = /[.,;!]+$/u;

/** Characters a number may be written with; '+' only in front (possibly inside a parenthesis). */
const NUMBER_TOKEN = /^\(?\+?[0-9 ().-]*[0-9][0-9 ().-]*$/u;
const NUMBER_SEPARATORS = /[ ().-]/g;
/** Hyphens, dashes and minus signs people (and phones) put in numbers. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;

/** Letters (Latin script, accents included), digits, space, & . - _ — with at least one letter. */
const ALPHANUMERIC = /^(?:(?=\p{L})\p{Script=Latin}|[0-9 &._-])+$/u;
const LATIN_LETTER = /(?=\p{L})\p{Script=Latin}/u;

/**
 * Top-level domains that mark a token as a web address. Kept to common and
 * smishing-favoured ones, leaving out two-letter domains that are everyday words
 * (it, in, me, to, no, …) so that "i.e." or "Hi.It" are not read as links.
 */
const LINK_TLDS = [
  'com',
  'net',
  'org',
  'info',
  'biz',
  'gov',
  'edu',
  'mobi',
  'xyz',
  'top',
  'shop',
  'online',
  'site',
  'club',
  'vip',
  'live',
  'link',
  'click',
  'store',
  'icu',
  'cyou',
  'buzz',
  'sbs',
  'cfd',
  'bond',
  'lol',
  'tech',
  'app',
  'dev',
  'page',
  'website',
  'space',
  'ltd',
  'pro',
  'asia',
  'support',
  'services',
  'delivery',
  'cam',
  'monster',
  'quest',
  'help',
  'world',
  'life',
  'uk',
  'fr',
  'es',
  'cn',
  'de',
  'nl',
  'ru',
  'br',
  'mx',
  'cl',
  'co',
  'io',
  'ly',
  'cc',
  'tk',
  'ml',
  'ga',
  'cf',
  'gq',
  'pw',
  'ws',
  'su',
  'vn',
  'tw',
  'hk',
  'sg',
  'au',
  'nz',
  'jp',
  'kr',
  'ch',
  'pl',
  'pt',
  'ae',
  'sa',
  'eg',
  'cm',
  'ci',
  'sn',
  'ng',
  'ke',
  'za',
  'tv',
  'fm',
  'gd',
  'gl',
  'gg',
  'cx',
  'qa',
  'kw',
  'dz',
  'tn',
  'ar',
  'pe',
  'ec',
  'bo',
  'uy',
  've',
];
const TLD_SET: ReadonlySet<string> = new Set(LINK_TLDS);
/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const PATH_DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/i;
const DOMAIN_MAX = 253;

/**
 * Whether a text holds a URL or a domain-like token (http://…, www.…,
 * parcel-redelivery.info, bit.ly/…). Scans token by token in linear time, so a
 * long text cannot make it slow.
 */
export function containsLink(text: string): boolean {
  if (text.includes('://') || /\bwww\./i.test(text)) return true;
  // a domain ending in a known top-level domain, anywhere in the text: x.cn, evri.uk-reschedule.top
  for (const run of text.split(/[^A-Za-z0-9.-]+/)) {
    if (!run.includes('.')) continue;
    const labels = run.split('.');
    for (let i = 1; i < labels.length; i++) {
      if (TLD_SET.has(labels[i]!.toLowerCase()) && DNS_LABEL.test(labels[i - 1]!)) return true;
    }
  }
  // any other domain followed by a path: example.abc/x
  for (const token of text.split(/\s+/)) {
    const slash = token.indexOf('/');
    if (slash <= 0 || slash > DOMAIN_MAX || slash === token.length - 1) continue;
    const domain = token.slice(0, slash);
    if (PATH_DOMAIN.test(domain) && domain.split('.').every((label) => DNS_LABEL.test(label))) return true;
  }
  return false;
}

/** Reads what a subscriber typed as the sender of a spam. Undefined when it is not a number, short code or sender ID. */
export function parseSender(input: string, defaultCountry: string): ReportedSender | undefined {
  if (typeof input !== 'string' || input.length > INPUT_MAX * 4) return undefined;
  const sender = readSenderOnce(`${defaultCountry}\u0000${input}`);
  return sender && { ...sender };
}

/** The same senders come back again and again (one spam, thousands of reporters): each is read once. */
const readSenderOnce = boundedMemo((key: string) => {
  const split = key.indexOf('\u0000');
  return readSender(key.slice(split + 1), key.slice(0, split));
}, 20_000);

function readSender(input: string, defaultCountry: string): ReportedSender | undefined {
  const token = senderToken(input);
  if (token.length === 0 || token.length > INPUT_MAX) return undefined;
  const display = cut(token, SENDER_DISPLAY_MAX);

  const numeric = token
    .replace(DASHES, '-')
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
  if (NUMBER_TOKEN.test(numeric)) {
    if (numeric.length > NUMBER_TOKEN_MAX) return undefined;
    const number = readNumber(numeric.replace(NUMBER_SEPARATORS, ''), defaultCountry);
    return number && { ...number, display };
  }

  const name = token.replace(/\s+/g, ' ');
  if (name.length > ALPHANUMERIC_MAX || !ALPHANUMERIC.test(name) || !LATIN_LETTER.test(name) || containsLink(name)) return undefined;
  return { kind: 'alphanumeric', value: name.toUpperCase(), display };
}

/**
 * The part of the input that names the sender: NFKC-normalised (full-width
 * digits become ASCII), without surrounding quotes, a "from:" label or
 * sentence punctuation, inner whitespace collapsed.
 */
function senderToken(input: string): string {
  let token = input.normalize('NFKC').replace(LEADING_QUOTES, '').replace(TRAILING_QUOTES, '');
  const unlabelled = token.replace(LABEL, '');
  if (unlabelled !== token && unlabelled.trim()) token = unlabelled.replace(LEADING_QUOTES, '').replace(TRAILING_QUOTES, '');
  return token.replace(TRAILING_PUNCTUATION, '').replace(TRAILING_QUOTES, '').trim().replace(/\s+/g, ' ');
}

type NumberSender = Pick<ReportedSender, 'kind' | 'value'>;

/** `compact`: digits with an optional leading '+'. */
function readNumber(compact: string, defaultCountry: string): NumberSender | undefined {
  const country = supportedCountry(defaultCountry);
  if (compact.startsWith('+')) return possible(parse(compact));
  const digits = compact;
  if (digits.startsWith('00') && digits.length > 4) return possible(parse(`+${digits.slice(2)}`));

  const serviceNumber = country && SERVICE_NUMBERS[country];
  if (serviceNumber?.test(digits)) return { kind: 'short_code', value: digits };

  if (SHORT_CODE.test(digits)) {
    // A few countries have 8-digit subscriber numbers (Singapore, Denmark…): those are numbers, not short codes.
    const national = country && parse(digits, country);
    return national?.isValid() ? { kind: 'msisdn', value: national.number } : { kind: 'short_code', value: digits };
  }
  if (digits.length > 20) return undefined;

  // National in the operator's country (or with its international prefix, e.g. 011 in the US), else international without '+'.
  const national = country ? parse(digits, country) : undefined;
  if (national?.isValid()) return { kind: 'msisdn', value: national.number };
  const international = parse(`+${digits}`);
  if (international?.isValid()) return { kind: 'msisdn', value: international.number };
  const best = national?.isPossible() ? national : international?.isPossible() ? international : undefined;
  return best ? { kind: 'msisdn', value: best.number } : undefined;
}

function possible(parsed: PhoneNumber | undefined): NumberSender | undefined {
  return parsed?.isPossible() ? { kind: 'msisdn', value: parsed.number } : undefined;
}

function parse(text: string, country?: CountryCode): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, country);
  } catch {
    return undefined;
  }
}

function supportedCountry(code: string): CountryCode | undefined {
  const upper = typeof code === 'string' ? code.trim().toUpperCase() : '';
  return upper && isSupportedCountry(upper) ? (upper as CountryCode) : undefined;
}

/** At most `max` UTF-16 units, without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd();
}
