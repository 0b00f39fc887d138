/*
 * The regulator key lives in sessionStorage, so a reload stays signed in and
 * closing the tab forgets it.
 */

const KEY_STORAGE = 'srs.stats.regulatorKey';

export function savedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function saveKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetSavedKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
}
