import { type ApiError, keyedFetch, keyedJson, type KeyedRequest } from '@srs/browser-kit';

/* The statistics API, called with the signed-in regulator's key. */

export const API = '/v1/stats';
const SERVICE = 'statistics';

export type QueryParams = Record<string, string | number | null | undefined>;

let sessionKey: string | null = null;

/** The key later calls send by default: the signed-in regulator's, or null once signed out. */
export function setSessionKey(key: string | null): void {
  sessionKey = key;
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

const request = ({ accept, signal, key = sessionKey }: FetchOptions = {}): KeyedRequest => ({ key, accept, signal });

/** The response of a call that succeeded; otherwise an ApiError (browser-kit's keyedFetch). */
export function apiFetch(url: string, options?: FetchOptions): Promise<Response> {
  return keyedFetch(SERVICE, url, request(options));
}

/** The JSON answer of a call; its shape is the API's word, not checked here. */
export function apiJson<T>(url: string, options?: FetchOptions): Promise<T> {
  return keyedJson<T>(SERVICE, url, request(options));
}

/** What to tell a regulator whose key was refused. */
export function authMessage(err: ApiError): string {
  if (err.status === 403) return 'This key may not read statistics (HTTP 403). Use a regulator key: operator keys are refused here.';
  return 'This key was not accepted (HTTP 401). Check it and try again, or ask for a new regulator key.';
}
