/*
 * Every call sends the regulator key as `Authorization: Bearer <key>`, and
 * none may be answered from the browser's cache.
 */

export const API = '/v1/stats';

export type QueryParams = Record<string, string | number | null | undefined>;

let sessionKey: string | null = null;

/** The key later calls send by default: the signed-in regulator's, or null once signed out. */
export function setSessionKey(key: string | null): void {
  sessionKey = key;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** A path and query of the API, leaving out empty parameters. */
export function apiUrl(path: string, params?: QueryParams): string {
  const url = new URL(API + path, window.location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url.pathname + url.search;
}

export interface FetchOptions {
  accept?: string;
  signal?: AbortSignal;
  key?: string | null;
}

/** The response of a call that succeeded; otherwise an ApiError with the API's own message when it gave one. */
export async function apiFetch(
  url: string,
  { accept = 'application/json', signal, key = sessionKey }: FetchOptions = {},
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${key}`, Accept: accept }, signal, cache: 'no-store' });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'The statistics service could not be reached. Check the connection and try again.');
  }
  if (!res.ok) {
    let message = `The statistics service answered HTTP ${res.status}.`;
    let field: string | undefined;
    try {
      const body = (await res.json()) as { error?: { message?: string; field?: string } } | null;
      if (body && body.error) {
        message = body.error.message || message;
        field = body.error.field;
      }
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, message, field);
  }
  return res;
}

/** The JSON answer of a call; its shape is the API's word, not checked here. */
export async function apiJson<T>(url: string, options?: FetchOptions): Promise<T> {
  return (await (await apiFetch(url, options)).json()) as T;
}

/** A call given up on purpose: fetch rejects with a DOMException named AbortError. */
export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** What to tell a regulator whose key was refused. */
export function authMessage(err: ApiError): string {
  if (err.status === 403) return 'This key may not read statistics (HTTP 403). Use a regulator key: operator keys are refused here.';
  return 'This key was not accepted (HTTP 401). Check it and try again, or ask for a new regulator key.';
}
