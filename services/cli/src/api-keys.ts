import { randomUUID } from 'node:crypto';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiKeyRow, type ApiScope, type Pool } from '@srs/db';

export interface KeyOwner {
  operatorId?: string;
  regulatorId?: string;
}

/** A new key for an operator or a regulator: the row (hash only) and the key, which exists nowhere else. */
export async function createApiKey(
  pool: Pool,
  owner: KeyOwner,
  options: { scopes: ApiScope[]; name: string; expiresInDays?: number },
): Promise<{ row: ApiKeyRow; key: string }> {
  const { key, prefix, hash } = generateApiKey();
  const row = await new ApiKeysRepository(pool).create({
    id: `key_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    ...owner,
    name: options.name,
    prefix,
    hash,
    scopes: options.scopes,
    ...(options.expiresInDays ? { expiresAt: new Date(Date.now() + options.expiresInDays * 86_400_000) } : {}),
  });
  return { row, key };
}

/** How every command shows a new key: what it is, the warning, then the key alone on the last line. */
export function newKeyLines(row: ApiKeyRow, key: string): string[] {
  const owner = row.operatorId ?? `regulator ${row.regulatorId}`;
  return [
    `key ${row.id} for ${owner}, scopes ${row.scopes.join(',')}${row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : ''}`,
    'store it now: it is not shown again',
    key,
  ];
}
