import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The zone URL's token: resolvers fetch an RPZ by URL and cannot send an
 * Authorization header, so the zone may also be fetched with a token in the
 * query. The token is not the API key: it opens this one zone, read-only,
 * and nothing else. It is bound to one key, `rpz_<key prefix>_<MAC of the
 * key's stored hash>`, so revoking or expiring the key ends it, and nothing
 * is stored for it. It is derived under SHARING_ID_KEY: a new key there
 * makes every token anew.
 */
export class ZoneTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'srs sharing: rpz zone token', 32));
  }

  issue(apiKey: { prefix: string; hash: string }): string {
    return `rpz_${apiKey.prefix}_${this.mac(apiKey.hash).toString('base64url')}`;
  }

  /** The prefix of the key a token names, to look the key up; undefined when it is no token. */
  prefixOf(token: string): string | undefined {
    return /^rpz_([A-Za-z0-9]{10})_[A-Za-z0-9_-]{43}$/.exec(token)?.[1];
  }

  matches(token: string, apiKey: { prefix: string; hash: string }): boolean {
    const given = Buffer.from(token, 'utf8');
    const expected = Buffer.from(this.issue(apiKey), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(hash: string): Buffer {
    return createHmac('sha256', this.key).update(hash, 'utf8').digest();
  }
}
