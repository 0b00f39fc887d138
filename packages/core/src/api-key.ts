import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `srs_<prefix>_<secret>`: the prefix (public, 10 chars)
 * finds the key's row, the SHA-256 of the whole key is what is stored. Keys
 * are 190 random bits, so a fast hash is enough: nothing to brute-force.
 */
export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

const PATTERN = /^srs_([A-Za-z0-9]{10})_([A-Za-z0-9_-]{32})$/;

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(8).toString('base64url').replace(/[-_]/g, '').padEnd(10, 'x').slice(0, 10);
  const key = `srs_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function apiKeyPrefix(key: string): string | undefined {
  return PATTERN.exec(key)?.[1];
}

/** How a key begins, as its holder reads it (`srs_<prefix>`): enough to tell keys apart, nothing to sign in with. */
export function shownApiKeyPrefix(prefix: string): string {
  return `srs_${prefix}`;
}

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
