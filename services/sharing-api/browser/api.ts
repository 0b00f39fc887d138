/*
 * Every call sends the operator key as `Authorization: Bearer <key>`, and none
 * may be answered from the browser's cache. The key lives in sessionStorage:
 * a reload stays signed in, closing the tab forgets it.
 */

const KEY_STORAGE = 'srs.portal.operatorKey';

export const savedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const saveKey = (key: string): void => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_STORAGE);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** The JSON answer of a call that succeeded; otherwise an ApiError with the API's own message when it gave one. */
export async function apiJson<T>(path: string, key: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'The sharing service could not be reached. Check the connection and try again.');
  }
  if (!res.ok) {
    let message = `The sharing service answered HTTP ${res.status}.`;
    try {
      const body = (await res.json()) as { error?: { message?: string } } | null;
      if (body?.error?.message) message = body.error.message;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

/** What to tell an operator whose key was refused. */
export function authMessage(err: ApiError): string {
  if (err.status === 403) return 'This key may not read the shared intelligence (HTTP 403). Use an operator key with scope read.';
  return 'This key was not accepted (HTTP 401). Check it and try again, or ask your administrator for an operator key.';
}
