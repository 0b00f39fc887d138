import { isIPv4 } from 'node:net';

/** SOA timers, in seconds: how often resolvers fetch the zone, and how long they keep it when they cannot. */
export interface ZoneTimers {
  refresh: number;
  retry: number;
  expire: number;
  /** TTL of the records and of negative answers */
  ttl: number;
}

export interface ZoneFileInput {
  /** the zone's name, as the resolver's `rpz:` `name:` gives it */
  origin: string;
  serial: number;
  /** from zoneNames: punycode, `*.` for a domain's subdomains */
  names: readonly string[];
  timers: ZoneTimers;
  /** answer these addresses (a walled garden) instead of NXDOMAIN */
  walledGarden?: readonly string[];
}

/** A name's wire form holds at most 255 octets: 253 characters of text without the final dot. */
const MAX_NAME = 253;

/**
 * A Response Policy Zone as a master file (RFC 1035 section 5, RPZ's
 * conventions): SOA, NS, then one trigger per name under the zone's origin
 * with its action, `CNAME .` (NXDOMAIN) or the walled garden's addresses.
 * Every name is LDH text already (zoneNames), so nothing needs escaping; one
 * that would outgrow a DNS name under the origin is left out.
 */
export function renderZoneFile({ origin, serial, names, timers, walledGarden = [] }: ZoneFileInput): string {
  const apex = `${origin}.`;
  const lines = [
    `; DNS firewall (RPZ) of shared smishing domains, serial ${serial}`,
    `$TTL ${timers.ttl}`,
    `${apex} IN SOA ${apex} hostmaster.${apex} ${serial} ${timers.refresh} ${timers.retry} ${timers.expire} ${timers.ttl}`,
    `${apex} IN NS localhost.`,
  ];
  const actions = walledGarden.length ? walledGarden.map((address) => (isIPv4(address) ? `A ${address}` : `AAAA ${address}`)) : ['CNAME .'];
  for (const name of names) {
    const owner = `${name}.${origin}`;
    if (owner.length > MAX_NAME) continue;
    for (const action of actions) lines.push(`${owner}. IN ${action}`);
  }
  return `${lines.join('\n')}\n`;
}
