import { randomUUID } from 'node:crypto';
import { uniqueSuffix } from '@srs/testkit';
import request from 'supertest';
import { CONSORTIUM_COLLECTION_ID, operatorCollectionId } from '../src/taxii/collections';
import { startSharingService, TAXII, type SharingService } from './attack-harness';
import { stixIndicator } from './taxii-harness';

const ROOT = '/taxii2/api';
const consortium = `${ROOT}/collections/${CONSORTIUM_COLLECTION_ID}`;
const uk = `${ROOT}/collections/${operatorCollectionId('demo-uk')}`;

/** What TAXII 2.1 section 3.6.1 asks of an error message, with the request id as its error_id. */
function expectTaxiiError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(TAXII);
  expect(res.body).toEqual(
    expect.objectContaining({
      title: expect.any(String),
      description: expect.any(String),
      http_status: String(status),
      error_code: code,
      error_id: res.headers['x-request-id'],
    }),
  );
  expect(res.body.error).toBeUndefined();
}

/**
 * Issue 27: every TAXII failure answered with the service's own JSON error
 * and application/json; a TAXII client reads a TAXII error message.
 */
describe('TAXII error messages', () => {
  let service: SharingService;
  let read: string;
  let publish: string;
  let publishOnly: string;
  beforeAll(async () => {
    service = await startSharingService({ SHARING_TAXII_MAX_OBJECTS: '5' });
    read = await service.key('demo-uk', ['read']);
    publish = await service.key('demo-uk', ['read', 'publish']);
    publishOnly = await service.key('demo-uk', ['publish']);
  });
  afterAll(() => service.close());

  const taxii = () => request(service.server.url);

  it('answers no key and a wrong key with 401, a TAXII error and the Basic challenge', async () => {
    const none = await taxii().get(`${ROOT}/collections/`).set('Accept', TAXII);
    expectTaxiiError(none, 401, 'unauthorized');
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    expect(none.body.details).toEqual({ field: 'authorization' });
    const wrong = await taxii()
      .get('/taxii2/')
      .set('Accept', TAXII)
      .auth('x', `${read.slice(0, -4)}AAAA`);
    expectTaxiiError(wrong, 401, 'unauthorized');
  });

  it('answers a key without the scope, and a write to a collection not its own, with 403', async () => {
    expectTaxiiError(await service.taxiiGet(`${consortium}/objects/`, publishOnly), 403, 'insufficient_scope');
    const body = { objects: [stixIndicator(`[domain-name:value = 'x-${uniqueSuffix()}.example']`)] };
    expectTaxiiError(await service.taxiiPost(`${consortium}/objects/`, body, publish), 403, 'forbidden');
  });

  it('answers an unknown collection, object, status or path with 404', async () => {
    expectTaxiiError(await service.taxiiGet(`${ROOT}/collections/${randomUUID()}/`, read), 404, 'not_found');
    expectTaxiiError(await service.taxiiGet(`${consortium}/objects/indicator--${randomUUID()}/`, read), 404, 'not_found');
    expectTaxiiError(await service.taxiiGet(`${ROOT}/status/${randomUUID()}/`, read), 404, 'not_found');
    expectTaxiiError(await service.taxiiGet(`${ROOT}/no-such-resource/`, read), 404, 'not_found');
  });

  it('answers an Accept without TAXII 2.1 with 406 and a Content-Type other than TAXII 2.1 with 415', async () => {
    const notAcceptable = await taxii().get(`${consortium}/objects/`).set('Accept', 'application/json').auth('x', read);
    expectTaxiiError(notAcceptable, 406, 'not_acceptable');
    const unsupported = await taxii()
      .post(`${uk}/objects/`)
      .set('Accept', TAXII)
      .set('Content-Type', 'application/json')
      .auth('x', publish)
      .send({ objects: [] });
    expectTaxiiError(unsupported, 415, 'unsupported_media_type');
  });

  it('answers a bad parameter and an empty or malformed envelope with 400 naming the field', async () => {
    const badLimit = await service.taxiiGet(`${consortium}/objects/?limit=0`, read);
    expectTaxiiError(badLimit, 400, 'invalid_field');
    expect(badLimit.body.details).toEqual({ field: 'limit' });
    expectTaxiiError(await service.taxiiPost(`${uk}/objects/`, { objects: [] }, publish), 400, 'invalid_field');
    const malformed = await taxii()
      .post(`${uk}/objects/`)
      .set('Accept', TAXII)
      .set('Content-Type', TAXII)
      .auth('x', publish)
      .send('{"objects": [');
    expectTaxiiError(malformed, 400, 'malformed_body');
    expectTaxiiError(await service.taxiiGet(`${consortium}/objects/%00/`, read), 400, 'invalid_path');
    const nulParameter = await service.taxiiGet(`${consortium}/objects/?match%5Bid%5D=%00`, read);
    expectTaxiiError(nulParameter, 400, 'invalid_parameter');
    expect(nulParameter.body.details).toEqual({ field: 'match[id]' });
  });

  it('answers an envelope over the object or byte limit with 413', async () => {
    const objects = Array.from({ length: 6 }, (_, i) => stixIndicator(`[domain-name:value = 'n${i}-${uniqueSuffix()}.example']`));
    expectTaxiiError(await service.taxiiPost(`${uk}/objects/`, { objects }, publish), 413, 'too_many_objects');
    const huge = await taxii()
      .post(`${uk}/objects/`)
      .set('Accept', TAXII)
      .set('Content-Type', TAXII)
      .auth('x', publish)
      .send(JSON.stringify({ objects: [{ padding: 'x'.repeat(1024 * 1024 + 1) }] }));
    expectTaxiiError(huge, 413, 'payload_too_large');
  });

  it('keeps the JSON error everywhere outside /taxii2', async () => {
    const res = await service.get('/v1/indicators?limit=0', read);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: expect.any(String), requestId: res.headers['x-request-id'] });
  });
});
