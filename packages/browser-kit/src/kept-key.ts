/*
 * A page's API key lives in sessionStorage, so a reload stays signed in and
 * closing the tab forgets it. Each page names its own entry.
 */

export interface KeptKey {
  saved(): string | null;
  save(key: string): void;
  forget(): void;
}

export function keptKey(storageName: string): KeptKey {
  return {
    saved: () => sessionStorage.getItem(storageName),
    save: (key) => sessionStorage.setItem(storageName, key),
    forget: () => sessionStorage.removeItem(storageName),
  };
}
