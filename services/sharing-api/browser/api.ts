import { type ApiError, keptKey, keyedJson } from '@srs/browser-kit';

/* The sharing API, called with the operator's key, which is kept for the tab. */

const SERVICE = 'sharing';

export const operatorKey = keptKey('srs.portal.operatorKey');

/** The JSON answer of a call that succeeded; otherwise an ApiError with the API's own message when it gave one. */
export function apiJson<T>(path: string, key: string): Promise<T> {
  return keyedJson<T>(SERVICE, path, { key });
}

/** A call with a JSON body (POST, PATCH) or none (GET, DELETE); null for an answer without a body (204). */
export function apiSend<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, key: string, body?: unknown): Promise<T> {
  return keyedJson<T>(SERVICE, path, { key, method, body });
}

/** What to tell an operator whose key was refused. */
export function authMessage(err: ApiError): string {
  if (err.status === 403) return 'This key may not read the shared intelligence (HTTP 403). Use an operator key with scope read.';
  return 'This key was not accepted (HTTP 401). Check it and try again, or ask your administrator for an operator key.';
}
