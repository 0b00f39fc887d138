import { domainToASCII } from 'node:url';
import { ASCII_HOSTNAME, isShortener, registrableDomain } from '@srs/core';
import type { RpzSource } from '@srs/db';

/**
 * The names a DNS firewall zone blocks, from the shared domain and URL
 * indicators: punycode, lower case, sorted, each once. A domain indicator
 * blocks the domain and every name under it (`*.` entry); a URL indicator
 * blocks its exact host only, since other pages of a host are not known bad.
 *
 * A resolver answers these names for every subscriber, so a name is left out
 * when blocking it would block far more than the indicator: a public suffix
 * (`co.uk`, `pages.dev`), an IP address or any name outside the public
 * namespace, a link shortener's host (everyone's links go through it), and
 * any name on or under an allowlisted domain (a URL on a brand's or a
 * platform's own host).
 */
export function zoneNames(sources: readonly RpzSource[], allowlistedDomains: ReadonlySet<string>): string[] {
  const allowlisted = new Set([...allowlistedDomains].map((d) => domainToASCII(d.toLowerCase())).filter(Boolean));
  const names = new Set<string>();
  for (const source of sources) {
    const host = source.type === 'domain' ? asciiHost(source.ascii ?? source.value) : urlHost(source.value);
    if (!host) continue;
    const registrable = registrableDomain(host);
    if (!registrable || source.shortener || isShortener(registrable.ascii)) continue;
    if (underAny(host, allowlisted)) continue;
    names.add(host);
    if (source.type === 'domain') names.add(`*.${host}`);
  }
  return [...names].sort();
}

/** The punycode form of a host name, or undefined when it is not one (`domainToASCII` is WHATWG's, as the URL parser's). */
export function asciiHost(value: string): string | undefined {
  const ascii = domainToASCII(value.trim().toLowerCase().replace(/\.$/, ''));
  return ascii && ASCII_HOSTNAME.test(ascii) ? ascii : undefined;
}

function urlHost(value: string): string | undefined {
  try {
    return asciiHost(new URL(value).hostname);
  } catch {
    return undefined;
  }
}

function underAny(host: string, domains: ReadonlySet<string>): boolean {
  const labels = host.split('.');
  return labels.some((_, i) => domains.has(labels.slice(i).join('.')));
}
