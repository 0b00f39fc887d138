import { listen } from '@srs/http';
import { startTestApp, type TestApp } from '@srs/testkit';
import request from 'supertest';
import { createStatsApp } from '../src/app';

type Operation = { operationId?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> };

describe('statistics API documentation', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp((deps) => listen(createStatsApp(deps), 0, '127.0.0.1'));
  });
  afterAll(() => server?.close());

  it('serves an OpenAPI 3.1 document of every statistics route, its query from the schema the routes parse', async () => {
    const res = await request(server.url).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(res.body.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const paths = res.body.paths as Record<string, Record<string, Operation>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/stats/reports',
        '/v1/stats/campaigns',
        '/v1/stats/indicators',
        '/v1/stats/domains',
        '/v1/stats/time-to-share',
        '/v1/stats/summary',
        '/v1/stats/meta',
        '/v1/stats/methodology',
        '/v1/stats/live',
      ]),
    );
    for (const op of Object.values(paths).flatMap((p) => Object.values(p))) {
      expect(op.operationId).toEqual(expect.any(String));
      expect(op.security).toEqual([{ apiKey: [] }]);
    }
    const reports = paths['/v1/stats/reports']!.get!;
    expect(Object.keys(reports.responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
    expect((reports as unknown as { parameters: Array<{ name: string }> }).parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'grain', 'by', 'category', 'country', 'format', 'limit']),
    );
    expect(Object.keys(paths['/v1/stats/live']!.get!.responses['200']!.content!)).toEqual(['text/event-stream']);
  });

  it('serves a browsable reference page listing every operation', async () => {
    const res = await request(server.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    for (const op of ['GET</span> /v1/stats/reports', 'GET</span> /v1/stats/summary', 'GET</span> /v1/stats/live'])
      expect(res.text).toContain(op);
  });
});
