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
export function apiJson<T>(path: string, key: string): Promise<T> {
  return apiSend<T>('GET', path, key);
}

/** A call with a JSON body (POST, PATCH) or none (GET, DELETE); null for an answer without a body (204). */
export async function apiSend<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, key: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
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
  if (res.status === 204) return null as T;
  return (await res.json()) as T;
}

/** What to tell an operator whose key was refused. */
export function authMessage(err: ApiError): string {
  if (err.status === 403) return 'This key may not read the shared intelligence (HTTP 403). Use an operator key with scope read.';
  return 'This key was not accepted (HTTP 401). Check it and try again, or ask your administrator for an operator key.';
}
