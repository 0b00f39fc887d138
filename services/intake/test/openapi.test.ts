import { generateApiKey } from '@srs/core';
import { ApiKeysRepository } from '@srs/db';
import { testMsisdn, uniqueSuffix, type TestApp } from '@srs/testkit';
import request from 'supertest';
import { recorded } from './inbox';
import { startIntakeApp } from './intake-harness';

type Operation = { operationId?: string; security?: unknown[] };

describe('intake API documentation', () => {
  let intake: TestApp;
  let db: TestApp['db'];
  let redis: TestApp['redis'];
  let config: TestApp['config'];
  let server: TestApp['server'];

  beforeAll(async () => {
    intake = await startIntakeApp();
    ({ db, redis, config, server } = intake);
  });
  afterAll(() => intake?.close());

  it('serves an OpenAPI 3.1 document of the app API and every gateway webhook, generated from the route schemas', async () => {
    const res = await request(server.url).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/reports',
        '/v1/reports/{id}',
        '/v1/gateways/kannel/mo',
        '/v1/gateways/twilio/sms',
        '/v1/gateways/webhook/sms',
      ]),
    );
    expect(Object.keys(res.body.components.securitySchemes)).toEqual(
      expect.arrayContaining(['apiKey', 'kannelToken', 'twilioSignature', 'standardWebhookSignature']),
    );
    const operations = Object.values(res.body.paths as Record<string, Record<string, Operation>>).flatMap((p) => Object.values(p));
    for (const op of operations) {
      expect(op.operationId).toEqual(expect.any(String));
      expect(op.security).toEqual(expect.any(Array));
    }
    const kannel = res.body.paths['/v1/gateways/kannel/mo'].get;
    expect(kannel.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'text', 'id', 'smsc', 'coding', 'ts', 'charset']),
    );
    const report = res.body.paths['/v1/reports'].post.requestBody.content['application/json'].schema;
    expect(res.body.components.schemas.AppReport.required).toEqual(expect.arrayContaining(['reporter', 'sender', 'text']));
    expect(report).toEqual({ $ref: '#/components/schemas/AppReport' });
    // What every inbound endpoint answers: recorded or a redelivery, and nothing of what the conversation decides.
    const result = res.body.components.schemas.InboundResult;
    expect(result.properties.status.enum).toEqual(['accepted', 'duplicate']);
    expect(Object.keys(result.properties)).not.toContain('outcome');
  });

  it('serves a browsable reference page listing every operation', async () => {
    const res = await request(server.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    for (const op of [
      'POST</span> /v1/reports',
      'GET</span> /v1/gateways/kannel/mo',
      'POST</span> /v1/gateways/twilio/sms',
      'POST</span> /v1/gateways/webhook/sms',
    ])
      expect(res.text).toContain(op);
  });

  it('takes a report’s id from the Idempotency-Key header the document describes, and refuses one longer than it allows', async () => {
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_${uniqueSuffix()}`,
      operatorId: 'demo-fr',
      name: 'test',
      prefix: k.prefix,
      hash: k.hash,
      scopes: ['report'],
    });
    const reporter = testMsisdn();
    const post = (idempotencyKey: string) =>
      request(server.url)
        .post('/v1/reports')
        .set('authorization', `Bearer ${k.key}`)
        .set('idempotency-key', idempotencyKey)
        .send({ reporter, sender: 'PARCELS', text: 'Your parcel is held, pay the fee at https://parcel-fee.top/x' });
    const id = `idem-${uniqueSuffix()}`;
    const accepted = await post(id);
    expect(accepted.status).toBe(202);
    expect(accepted.body.id).toBe(id);
    expect((await recorded(redis, config)).filter((e) => e.gatewayMessageId === id)).toHaveLength(1);
    const again = await post(id);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'duplicate', id });
    const before = (await recorded(redis, config)).length;
    const refused = await post('x'.repeat(201));
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('idempotency-key');
    expect(await recorded(redis, config)).toHaveLength(before);
  });
});
