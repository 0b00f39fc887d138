/**
 * Stamps a key's last use (shown to its operator's admin in the key list) at
 * most once a minute per key and process, after the key was verified: an
 * unverified prefix never stamps. Fire and forget: a lost stamp only makes
 * "last used" a little older, and must never fail or slow the request.
 */
export function keyUsage(markUsed: (keyId: string) => Promise<unknown>, everyMs = 60_000): (keyId: string) => void {
  const stamped = new Map<string, number>();
  return (keyId) => {
    const now = Date.now();
    if (now - (stamped.get(keyId) ?? 0) < everyMs) return;
    stamped.set(keyId, now);
    markUsed(keyId).catch(() => stamped.delete(keyId));
  };
}
