import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parse as parseDomain } from 'tldts';
import type { IndicatorCandidate } from '../analysis/analyse';
import type { SenderKind } from '../conversation/types';
import { boundedMemo } from '../bounded-memo';

export type LinkKind = 'none' | 'link' | 'shortener';
export type SenderType = 'long_number' | 'short_code' | 'alphanumeric' | 'none';

/** ISO 3166 "unknown": a sender ID or a missing sender has no country. */
export const UNKNOWN_COUNTRY = 'ZZ';

/** Whether a text carried links, and through a URL shortener; the registrable domains it pointed to. */
export function linkFeatures(indicators: readonly IndicatorCandidate[]): { linkKind: LinkKind; linkDomains: string[] } {
  const urls = indicators.filter((i) => i.type === 'url');
  const linkKind: LinkKind = urls.some((u) => u.shortener) ? 'shortener' : urls.length > 0 ? 'link' : 'none';
  const linkDomains = indicators.filter((i) => i.type === 'domain').map((i) => i.value);
  return { linkKind, linkDomains };
}

/** Spam senders repeat across thousands of reports: each number's country is worked out once. */
const countryOfNumber = boundedMemo((value: string) => {
  const number = parsePhoneNumberFromString(value.startsWith('+') ? value : `+${value}`);
  // A number outside the allocated ranges still carries its country code; its first country is the main one (+44: GB).
  return number?.country ?? number?.getPossibleCountries()[0] ?? UNKNOWN_COUNTRY;
}, 50_000);

/**
 * Where a spam came from, as far as its sender tells: the country of a long
 * number from its E.164 prefix; a short code is national, so it is the
 * reporting operator's country; a sender ID or no sender says nothing.
 */
export function senderOrigin(
  kind: SenderKind | null,
  value: string | null,
  operatorCountry: string,
): { senderType: SenderType; country: string } {
  if (!kind || !value) return { senderType: 'none', country: UNKNOWN_COUNTRY };
  if (kind === 'short_code') return { senderType: 'short_code', country: operatorCountry };
  if (kind === 'alphanumeric') return { senderType: 'alphanumeric', country: UNKNOWN_COUNTRY };
  return { senderType: 'long_number', country: countryOfNumber(value) };
}

/** The public suffix of a registrable domain ("top", "co.uk"), which the TLD view counts. */
export function topLevelDomain(domain: string): string {
  return parseDomain(domain, { allowPrivateDomains: false }).publicSuffix ?? domain.slice(domain.lastIndexOf('.') + 1);
}
