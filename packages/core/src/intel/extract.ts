import { findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { isShortener } from './hosts';
import { findEmails, findLinks, MAX_SCAN_CHARS, type FoundLink } from './links';
import { deobfuscate } from './normalise';

/**
 * Attack indicators in a reported spam text: the links (and their registrable
 * domains), phone numbers and e-mail addresses a recipient is pushed towards.
 * Pure: nothing is resolved or fetched.
 */

export type ExtractedIndicator =
  | {
      type: 'url';
      /** WHATWG-serialised URL: scheme added when the text had none, host in punycode, path as written. */
      value: string;
      /** Registrable domain of its host, Unicode form. */
      domain: string;
      /** The same, punycode. */
      domainAscii: string;
      shortener: boolean;
    }
  | {
      type: 'domain';
      /** Registrable domain, Unicode form (`例子.中国`). */
      value: string;
      /** The same, punycode (`xn--fsqu00a.xn--fiqs8s`). */
      ascii: string;
      shortener: boolean;
    }
  | { type: 'phone'; /** E.164 */ value: string }
  | { type: 'email'; /** local part as written, domain lower case (Unicode) */ value: string };

export interface ExtractOptions {
  /** ISO 3166 country whose national numbers the text may hold (the operator's). Without it only international numbers are read. */
  defaultCountry?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Fewest digits of a number written without +: six-digit runs are one-time codes, not phone numbers. */
const MIN_NATIONAL_DIGITS = 7;
/** Just before a number: a currency sign or code makes it an amount ("Rp 1.000.000", "$ 1 000 000"). */
const CURRENCY_BEFORE = /(?:[$£€¥₹₩₱₦₺₽฿₫₪₴元円]|\b(?:rp|idr|usd|gbp|eur|inr|rs|php|ngn|aed|sar|rm|cny|rmb|r\$))\.?\s?$/iu;
/** Just after a number: a currency word or sign. */
const CURRENCY_AFTER =
  /^\s?(?:[$£€¥₹₩₱₦₺₽฿₫₪₴元円]|(?:rupiah|rupees?|dollars?|euros?|pounds?|yuan|pesos?|naira|dirhams?|riyals?|baht|usd|gbp|eur|idr|inr|jt|juta|ribu|rb)\b)/iu;
/**
 * A date with its year, which number finders may read with the time after it
 * as a number: 12.05.2024 10:30, 2024-05-12. Only with a year, so French
 * numbers (06.12.34.56.78) stay numbers.
 */
const DATE = /(?<!\d)(?:\d{1,2}([./-])\d{1,2}\1(?:19|20)\d{2}|(?:19|20)\d{2}([./-])\d{1,2}\2\d{1,2})(?!\d)/;
/** WhatsApp click-to-chat links carry the number to call. */
const WHATSAPP_PATH = /^\/(\d{7,15})(?:[/?#]|$)/;

/**
 * Indicators in the order they appear; each value once. Every link gives a
 * `url` indicator, and the first link on each registrable domain also a
 * `domain` one. Never throws.
 */
export function extractIndicators(text: string, options: ExtractOptions = {}): ExtractedIndicator[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const prepared = deobfuscate(text).slice(0, MAX_SCAN_CHARS);
  const emails = findEmails(prepared);
  const links = findLinks(prepared, emails);

  const found: { at: number; indicator: ExtractedIndicator }[] = [];
  const seen = new Set<string>();
  const add = (at: number, indicator: ExtractedIndicator): void => {
    const key = `${indicator.type} ${indicator.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ at, indicator });
  };

  for (const link of links) {
    const shortener = isShortener(link.domain.ascii);
    add(link.start, { type: 'url', value: link.href, domain: link.domain.unicode, domainAscii: link.domain.ascii, shortener });
    add(link.start, { type: 'domain', value: link.domain.unicode, ascii: link.domain.ascii, shortener });
    const whatsapp = whatsappNumber(link);
    if (whatsapp) add(link.start, { type: 'phone', value: whatsapp });
  }
  for (const email of emails) add(email.start, { type: 'email', value: `${email.local}@${email.host}` });
  for (const phone of findPhones(prepared, options.defaultCountry, [...links, ...emails]))
    add(phone.at, { type: 'phone', value: phone.value });

  // Stable sort: a link's url, domain and number stay together in that order.
  return found.sort((a, b) => a.at - b.at).map((f) => f.indicator);
}

/** Seven digits with at most a few separators between them: the least a phone number has. */
const SEVEN_DIGITS = /\p{Nd}(?:[\s().\-/]{0,3}\p{Nd}){6}/u;

function findPhones(
  text: string,
  defaultCountry: string | undefined,
  taken: readonly { start: number; end: number }[],
): { at: number; value: string }[] {
  // Most texts hold no run of 7 digits at all; libphonenumber's scan is the costliest step, so skip it then.
  if (!SEVEN_DIGITS.test(text)) return [];
  const country =
    defaultCountry && isSupportedCountry(defaultCountry.toUpperCase()) ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  let matches;
  try {
    matches = findPhoneNumbersInText(text, country ? { defaultCountry: country } : {});
  } catch {
    return [];
  }
  const phones: { at: number; value: string }[] = [];
  for (const { number, startsAt, endsAt } of matches) {
    // Digits inside a link or an address are part of it (a tracking id, a WhatsApp link read separately).
    if (taken.some((span) => startsAt < span.end && span.start < endsAt)) continue;
    const written = text.slice(startsAt, endsAt);
    const digits = written.replace(/\D/g, '').length;
    if (!written.trimStart().startsWith('+') && digits < MIN_NATIONAL_DIGITS) continue;
    if (DATE.test(written)) continue;
    if (CURRENCY_BEFORE.test(text.slice(Math.max(0, startsAt - 5), startsAt)) || CURRENCY_AFTER.test(text.slice(endsAt, endsAt + 10)))
      continue;
    if (!number.isValid() || !E164.test(number.number)) continue;
    phones.push({ at: startsAt, value: number.number });
  }
  return phones;
}

function whatsappNumber(link: FoundLink): string | undefined {
  let digits: string | undefined;
  if (link.hostname === 'wa.me' || link.hostname === 'www.wa.me') digits = WHATSAPP_PATH.exec(link.pathAndQuery)?.[1];
  else if (link.domain.ascii === 'whatsapp.com' && link.pathAndQuery.startsWith('/send')) {
    digits = /[?&]phone=\+?(\d{7,15})(?:&|#|$)/.exec(link.pathAndQuery)?.[1];
  }
  if (!digits) return undefined;
  const number = parsePhoneNumberFromString(`+${digits}`);
  return number?.isValid() && E164.test(number.number) ? number.number : undefined;
}
