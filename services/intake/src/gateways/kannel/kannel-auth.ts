import { timingSafeEqual } from 'node:crypto';
import type { Config, KannelConnection } from '@srs/config';
import { AppError } from '@srs/http';
import ipaddr from 'ipaddr.js';
import type { KannelRequest } from './kannel-mo';

/**
 * Kannel has no signature: a connection is authenticated by a shared secret
 * its get-url / post-url carries as `token`, by the address its smsbox
 * connects from, or both. Built once per connection at start, so a malformed
 * CIDR stops the intake with its name rather than failing requests.
 */
export function kannelAuthenticator(connection: KannelConnection): (req: KannelRequest) => void {
  const blocks = connection.allowFrom.map((entry) => {
    try {
      return entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : ([ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
    } catch {
      throw new Error(`Kannel connection ${connection.name}: allowFrom ${entry} is not an IP address or CIDR block`);
    }
  });
  const token = connection.moToken ? Buffer.from(connection.moToken) : undefined;
  return (req) => {
    if (blocks.length > 0) {
      const address = normalise(req.remoteAddress);
      const allowed =
        address !== undefined && blocks.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
      if (!allowed)
        throw new AppError(403, 'source_not_allowed', 'this address may not deliver messages on this Kannel connection', 'source address');
    }
    if (token) {
      const given = Buffer.from(presentedToken(req) ?? '');
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        throw new AppError(
          403,
          'invalid_token',
          'the token of this Kannel connection is missing or wrong (set it in the get-url / post-url)',
          'token',
        );
      }
    }
  };
}

/**
 * The Kannel connections that would take MO messages from anyone: no token and
 * no source addresses. Whoever reaches such an endpoint can invent reporters
 * and push a domain into the shared feed, so production refuses to start with
 * one (services/intake/src/main.ts); elsewhere it is a warning.
 */
export function openKannelConnections(config: Pick<Config, 'routing'>): string[] {
  return config.routing.kannel.filter((c) => !c.moToken && c.allowFrom.length === 0).map((c) => c.name);
}

function presentedToken(req: KannelRequest): string | undefined {
  const header = req.header('x-srs-token');
  if (header) return header;
  return new URLSearchParams(req.rawQuery).get('token') ?? undefined;
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d. */
function normalise(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!address || !ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}
