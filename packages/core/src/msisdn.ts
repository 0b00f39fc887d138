import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { boundedMemo } from './bounded-memo';

/** A subscriber number as gateways send it: digits, optionally with a leading + or 00. */
export const MSISDN_PATTERN = /^\+?[0-9]{3,20}$/;

/**
 * Canonical E.164 form of a reporter's number, so that the same subscriber gets
 * the same pseudonym whichever gateway delivered the message. Gateways send
 * international numbers with or without `+`/`00`, and sometimes national ones.
 */
export function canonicalMsisdn(raw: string, defaultCountry: string): string {
  return canonical(`${defaultCountry}\u0000${raw}`);
}

const canonical = boundedMemo((key: string) => {
  const [defaultCountry, raw] = key.split('\u0000') as [string, string];
  return readMsisdn(raw, defaultCountry);
}, 50_000);

function readMsisdn(raw: string, defaultCountry: string): string {
  const compact = raw.replace(/[\s().-]/g, '');
  if (!MSISDN_PATTERN.test(compact)) throw new RangeError('not an MSISDN');
  if (compact.startsWith('+')) return toE164(compact) ?? compact;
  if (compact.startsWith('00')) return toE164(`+${compact.slice(2)}`) ?? `+${compact.slice(2)}`;
  const national = parsePhoneNumberFromString(compact, defaultCountry as CountryCode);
  if (national?.isValid()) return national.number;
  const international = toE164(`+${compact}`);
  if (international) return international;
  // Neither reading is a valid number: keep the digits unchanged, still canonical for hashing.
  return national?.number ?? `+${compact}`;
}

function toE164(candidate: string): string | undefined {
  const parsed = parsePhoneNumberFromString(candidate);
  return parsed?.isValid() ? parsed.number : undefined;
}
