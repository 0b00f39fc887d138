import { shownApiKeyPrefix } from '@srs/core';
import type { ApiKeyRow } from '@srs/db';

export type KeyStatus = 'active' | 'revoked' | 'expired';

function statusOf(row: ApiKeyRow, now: Date): KeyStatus {
  if (row.revokedAt) return 'revoked';
  return row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';
}

/**
 * A key as its operator's admin sees it. The hash never leaves: it is all a
 * guesser would need to test candidates offline. `prefix` is how the key
 * itself begins, so its holder can tell which row is theirs.
 */
export function keyJson(row: ApiKeyRow, currentKeyId: string, now = new Date()) {
  return {
    id: row.id,
    name: row.name,
    prefix: shownApiKeyPrefix(row.prefix),
    scopes: row.scopes,
    status: statusOf(row, now),
    current: row.id === currentKeyId,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    expires_at: row.expiresAt,
    revoked_at: row.revokedAt,
  };
}
