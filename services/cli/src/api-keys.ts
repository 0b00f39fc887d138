import type { ApiKeyRow } from '@srs/db';

/** How every command shows a new key: what it is, the warning, then the key alone on the last line. */
export function newKeyLines(row: ApiKeyRow, key: string): string[] {
  const owner = row.operatorId ?? `regulator ${row.regulatorId}`;
  return [
    `key ${row.id} for ${owner}, scopes ${row.scopes.join(',')}${row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : ''}`,
    'store it now: it is not shown again',
    key,
  ];
}
