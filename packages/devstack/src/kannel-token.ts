import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './local-services';

/**
 * The development Kannel connection's MO token. Whoever reaches an
 * unauthenticated Kannel endpoint can invent reporters and push a domain into
 * the shared feed, so `npm start` gives the connection a token when none is
 * configured. It lives in the data folder so that infra/kannel/up.sh, `srs
 * demo` and a Kannel harness started earlier all find the same one across
 * restarts.
 */
function tokenFile(dataDir: string): string {
  return path.join(path.resolve(PROJECT_ROOT, dataDir), 'kannel-mo-token');
}

export function readKannelMoToken(dataDir: string): string | undefined {
  const file = tokenFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export function ensureKannelMoToken(dataDir: string): string {
  const existing = readKannelMoToken(dataDir);
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  const file = tokenFile(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
