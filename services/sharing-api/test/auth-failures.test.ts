import { request as httpRequest } from 'node:http';
import { operatorCollectionId } from '../src/taxii/collections';
import { startSharingService, TAXII, type SharingService } from './attack-harness';

/** A GET from the given local address (127.0.0.0/8 is all loopback on Linux): another client, as the server sees it. */
function getFrom(localAddress: string, url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Issue 24 finding 6e: requests without a valid key were not limited, so an
 * address could guess keys as fast as the server answered.
 */
describe('failed authentications per client address', () => {
  let service: SharingService;
  beforeAll(async () => {
    service = await startSharingService({ AUTH_FAILURES_PER_MINUTE: '20' });
  });
  afterAll(() => service.close());

  it('answers 429 with Retry-After to an address guessing keys once it passed the limit, while a valid key from another address is served', async () => {
    const valid = await service.key('demo-fr', ['read']);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof getFrom>> | undefined;
    for (let i = 0; i < 25; i++) {
      const guess = `srs_${'x'.repeat(8)}_${i.toString().padStart(40, '0')}`;
      last = await getFrom('127.0.0.3', `${service.server.url}/v1/indicators`, { authorization: `Bearer ${guess}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect(last!.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(last!.body).error).toMatchObject({ code: 'too_many_failed_authentications', requestId: expect.any(String) });
    // Blocked by its address: even a key it guessed right is not checked, or the 429 would stop nothing.
    expect((await getFrom('127.0.0.3', `${service.server.url}/v1/indicators`, { authorization: `Bearer ${valid}` })).status).toBe(429);
    // TAXII authenticates in its own way, under the same limit.
    const taxii = await getFrom('127.0.0.3', `${service.server.url}/taxii2/api/collections/${operatorCollectionId('demo-fr')}/objects/`, {
      accept: TAXII,
      authorization: `Basic ${Buffer.from(`x:srs_guess`).toString('base64')}`,
    });
    expect(taxii.status).toBe(429);

    const other = await getFrom('127.0.0.4', `${service.server.url}/v1/indicators`, { authorization: `Bearer ${valid}` });
    expect(other.status).toBe(200);
  });

  it('counts guesses against TAXII too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await getFrom('127.0.0.5', `${service.server.url}/taxii2/`, {
        accept: TAXII,
        authorization: `Basic ${Buffer.from(`x:srs_guess${i}`).toString('base64')}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
