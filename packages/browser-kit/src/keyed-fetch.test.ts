import { ApiError } from './api-error';
import { keyedFetch, keyedJson } from './keyed-fetch';

/*
 * Jest runs in Node, whose fetch and Response are the browser's; the fetch
 * itself is replaced, so nothing leaves the process.
 */

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

// anything but a Response is what fetch rejects with (a DOMException is no Error in Jest's realm)
function answer(res: unknown) {
  const spy = jest.spyOn(globalThis, 'fetch');
  if (res instanceof Response) spy.mockResolvedValue(res);
  else spy.mockRejectedValue(res);
  return spy;
}

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

afterEach(() => jest.restoreAllMocks());

describe('keyedFetch', () => {
  it('sends the key and what it accepts, and is never answered from the cache', async () => {
    const spy = answer(json(200, {}));
    await keyedFetch('statistics', '/v1/stats/meta', { key: 'k1', accept: 'text/csv' });
    expect(spy).toHaveBeenCalledWith('/v1/stats/meta', {
      method: 'GET',
      headers: { Authorization: 'Bearer k1', Accept: 'text/csv' },
      signal: undefined,
      cache: 'no-store',
    });
  });

  it('sends a body as JSON', async () => {
    const spy = answer(new Response(null, { status: 204 }));
    expect(await keyedJson('sharing', '/v1/sightings', { key: 'k', method: 'POST', body: { a: 1 } })).toBeNull();
    const init = spy.mock.calls[0]![1]!;
    expect(init.headers).toEqual({ Authorization: 'Bearer k', Accept: 'application/json', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"a":1}');
  });

  it("turns the API's JSON error into its message, field and status", async () => {
    answer(json(400, { error: { code: 'bad_request', message: 'from must be a date', field: 'from' } }));
    const err = await refusal(keyedJson('statistics', '/v1/stats/reports', { key: 'k' }));
    expect([err.status, err.message, err.field, err.isAuth]).toEqual([400, 'from must be a date', 'from', false]);
  });

  it('names the service when the answer says nothing', async () => {
    answer(new Response('<html>bad gateway</html>', { status: 502 }));
    const err = await refusal(keyedFetch('statistics', '/v1/stats/meta', { key: 'k' }));
    expect(err.message).toBe('The statistics service answered HTTP 502.');
  });

  it('marks a refused key', async () => {
    answer(json(403, { error: { message: 'forbidden' } }));
    expect((await refusal(keyedFetch('sharing', '/v1/portal/me', { key: 'k' }))).isAuth).toBe(true);
  });

  it('says the service could not be reached, but lets an abort through as it is', async () => {
    answer(new TypeError('Failed to fetch'));
    const err = await refusal(keyedFetch('sharing', '/v1/portal/me', { key: 'k' }));
    expect([err.status, err.message]).toEqual([0, 'The sharing service could not be reached. Check the connection and try again.']);
    const abort = new DOMException('aborted', 'AbortError');
    answer(abort);
    await expect(keyedFetch('statistics', '/v1/stats/live', { key: 'k' })).rejects.toBe(abort);
  });
});
