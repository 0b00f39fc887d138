import { extractIndicators, parseSender, senderIndicator } from '@srs/core';
import type { LookupCandidate } from '@srs/db';

/** The longest look-up the portal reads: a URL, a number, a sender ID or a domain. */
export const LOOKUP_MAX = 2048;

/**
 * What a look-up matches, read with core's own readers only: a sender (a
 * number in any format a subscriber types, in E.164 with the operator's
 * country; a short code; a sender ID, upper case) by parseSender, and links,
 * domains, numbers and e-mail addresses by extractIndicators, as the analyser
 * reads them from a spam. A number is looked up as a sender and as a number
 * in a text, a URL also by its registrable domain. Empty: nothing readable.
 */
export function lookupCandidates(q: string, country: string): LookupCandidate[] {
  const found: LookupCandidate[] = [];
  const add = (type: string, value: string) => {
    if (!found.some((c) => c.type === type && c.value === value)) found.push({ type, value });
  };
  const sender = parseSender(q, country);
  if (sender) {
    const { type, value } = senderIndicator(sender.kind, sender.value);
    add(type, value);
    if (sender.kind === 'msisdn') add('phone', sender.value);
  }
  for (const indicator of extractIndicators(q, { defaultCountry: country })) {
    add(indicator.type, indicator.value);
    if (indicator.type === 'phone') add('sender_msisdn', indicator.value);
  }
  // A link the analyser never makes an indicator of (a bare IP address, a reserved name) is still a link: nothing is found, said as such.
  if (found.length === 0 && /^https?:\/\//i.test(q) && URL.canParse(q)) add('url', new URL(q).href);
  return found;
}
