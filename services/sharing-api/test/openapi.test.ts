import { listen } from '@srs/http';
import { startTestApp, type TestApp } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../src/app';

describe('sharing API documentation', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp((deps) => listen(createSharingApp(deps), 0, '127.0.0.1'));
  });
  afterAll(() => server?.close());

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await request(server.url).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/indicators',
        '/v1/campaigns',
        '/v1/sightings',
        '/v1/sightings/{id}',
        '/v1/webhooks',
        '/v1/webhooks/{id}/deliveries',
        '/v1/stream',
        '/v1/rpz/zone',
        '/v1/rpz/token',
        '/v1/keys',
        '/v1/keys/{id}',
      ]),
    );
    const feed = res.body.paths['/v1/indicators'].get;
    expect(feed.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['cursor', 'limit', 'type', 'min_confidence', 'since']),
    );
    const publish = res.body.paths['/v1/indicators'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(publish)).toContain('tlp');
    expect(res.body.components.schemas).toHaveProperty('IndicatorChange');
    const zone = res.body.paths['/v1/rpz/zone'].get;
    expect(zone.parameters.map((p: { name: string }) => p.name)).toEqual(['zone', 'max_tlp', 'walled_garden', 'refresh']);
    expect(zone.security).toEqual([{ apiKey: [] }, { rpzZoneToken: [] }]);
  });

  it('serves a browsable reference page listing every operation', async () => {
    const res = await request(server.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    for (const op of ['GET</span> /v1/indicators', 'POST</span> /v1/indicators', 'GET</span> /v1/campaigns', 'POST</span> /v1/sightings'])
      expect(res.text).toContain(op);
  });
});
