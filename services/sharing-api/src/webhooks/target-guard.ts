import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '@srs/http';

/** A target the deployment does not deliver to; the message names the address, never anything else of the request. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/**
 * IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291 §2.5.5.1), which
 * ipaddr.js calls unicast unless it is written with the dotted quad; the URL
 * parser writes [::127.0.0.1] as [::7f00:1], so the check never sees the quad.
 * No receiver is reached at one legitimately, so the whole block is refused,
 * whatever IPv4 it embeds.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** The address's range as ipaddr.js names it, IPv4-mapped IPv6 judged as the IPv4 it maps; 'invalid' when it is not an address. */
function rangeOf(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  return range;
}

/**
 * Only public unicast addresses: everything else (loopback, private,
 * carrier-grade NAT, link-local with the cloud metadata service, unique-local,
 * multicast, reserved) could reach the deployment's own network. So could the
 * IPv6 forms that carry an IPv4 address: IPv4-mapped is judged as the IPv4 it
 * maps; IPv4-compatible, IPv4-translated (RFC 6145), NAT64 (64:ff9b::/96 and
 * 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo are refused whatever they embed,
 * since a translator or relay on the way decides where they lead.
 */
export function publicAddress(address: string): boolean {
  return rangeOf(address) === 'unicast';
}

function refusal(address: string): string | undefined {
  const range = rangeOf(address);
  return range === 'unicast' ? undefined : `${address} is not a public address (${range})`;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks a subscription's URL when it is created or changed: http(s), and
 * every address its host resolves to is public unless private targets are
 * allowed. Answers 400 naming `url`.
 */
export async function checkTargetUrl(raw: string, allowPrivateTargets: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AppError.badRequest('invalid_url', 'url: not an absolute URL', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw AppError.badRequest('invalid_url', 'url: must be http or https', 'url');
  if (url.hash) throw AppError.badRequest('invalid_url', 'url: must not have a fragment', 'url');
  if (allowPrivateTargets) return url;
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await dnsLookupAsync(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw AppError.badRequest('unresolvable_url', `url: ${host} does not resolve`, 'url');
  }
  const refused = addresses.map(refusal).find(Boolean);
  if (refused) throw AppError.badRequest('target_not_allowed', `url: ${refused}; this deployment delivers to public addresses only`, 'url');
  return url;
}

/**
 * The check again at delivery time, where it cannot be raced: a literal
 * address is checked before connecting, and a host name through the lookup
 * the connection itself uses, so a name that resolved to a public address at
 * creation and to a private one now (DNS rebinding) is refused.
 */
export function assertLiteralTargetAllowed(url: URL, allowPrivateTargets: boolean): void {
  const host = hostOf(url);
  if (allowPrivateTargets || !ipaddr.isValid(host)) return;
  const refused = refusal(host);
  if (refused) throw new TargetRefusedError(`target refused: ${refused}`);
}

export function guardedLookup(allowPrivateTargets: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivateTargets ? undefined : addresses.map((a) => refusal(a.address)).find(Boolean);
      if (refused) return callback(new TargetRefusedError(`target refused: ${hostname} resolves to ${refused}`), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
