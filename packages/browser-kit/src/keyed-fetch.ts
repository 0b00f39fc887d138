import { ApiError, isAbort } from './api-error';

/*
 * Every call sends the page's key as `Authorization: Bearer <key>`, and none
 * may be answered from the browser's cache: the answers depend on the key and
 * change as reports arrive.
 */

export interface KeyedRequest {
  /** null once signed out: the API then refuses the call (401) */
  key: string | null;
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** sent as JSON */
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
}

/**
 * The response of a call that succeeded; otherwise an ApiError with the API's
 * own message when it gave one, else one naming the service ("statistics" →
 * "The statistics service …"). A call aborted through its signal rejects with
 * the AbortError itself, so callers can tell it from a failure.
 */
export async function keyedFetch(service: string, url: string, request: KeyedRequest): Promise<Response> {
  const { key, method = 'GET', body, accept = 'application/json', signal } = request;
  const headers: Record<string, string> = { Authorization: `Bearer ${key}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, signal, cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, `The ${service} service could not be reached. Check the connection and try again.`);
  }
  if (!res.ok) throw await refusal(service, res);
  return res;
}

/** The JSON answer of a call (its shape is the API's word, not checked here); null for an answer without a body (204). */
export async function keyedJson<T>(service: string, url: string, request: KeyedRequest): Promise<T> {
  const res = await keyedFetch(service, url, request);
  if (res.status === 204) return null as T;
  return (await res.json()) as T;
}

/** The API's error answer, `{error: {message, field}}`, as an ApiError. */
async function refusal(service: string, res: Response): Promise<ApiError> {
  let message = `The ${service} service answered HTTP ${res.status}.`;
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
  return new ApiError(res.status, message, field);
}
