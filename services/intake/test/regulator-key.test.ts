import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { testMsisdn, uniqueSuffix, type TestApp } from '@srs/testkit';
import request from 'supertest';
import { recorded } from './inbox';
import { startIntakeApp } from './intake-harness';

/**
 * A regulator reads aggregates and never files or reads a report: the app API
 * refuses its keys, with a JSON error and without recording anything.
 */
describe('app API and regulator keys', () => {
  let intake: TestApp;
  let config: TestApp['config'];
  let redis: TestApp['redis'];
  let db: TestApp['db'];
  let server: TestApp['server'];

  beforeAll(async () => {
    intake = await startIntakeApp();
    ({ config, redis, db, server } = intake);
  });

  afterAll(() => intake?.close());

  async function key(owner: { operatorId?: string; regulatorId?: string }, scopes: ApiScope[]): Promise<string> {
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_${uniqueSuffix()}`,
      ...owner,
      name: 'test',
      prefix: k.prefix,
      hash: k.hash,
      scopes,
    });
    return k.key;
  }
  const report = (apiKey: string, reporter = testMsisdn()) =>
    request(server.url)
      .post('/v1/reports')
      .set('authorization', `Bearer ${apiKey}`)
      .send({
        reporter,
        sender: 'PARCELS',
        text: 'Your parcel is held, pay the fee at https://parcel-fee.top/x',
        id: `r-${uniqueSuffix()}`,
      });

  it('refuses a regulator key as `regulators create` makes it (scope stats) with 403 insufficient_scope', async () => {
    const res = await report(await key({ regulatorId: 'demo-regulator' }, ['stats']));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ code: 'insufficient_scope', field: 'authorization', requestId: expect.any(String) });
  });

  it('refuses a regulator key even when it carries the report scope, as not an operator', async () => {
    const res = await report(await key({ regulatorId: 'demo-regulator' }, ['report', 'stats']));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'not_an_operator', field: 'authorization' });
  });

  it('does not show a report to a regulator key', async () => {
    const res = await request(server.url)
      .get('/v1/reports/anything')
      .set('authorization', `Bearer ${await key({ regulatorId: 'demo-regulator' }, ['stats'])}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'insufficient_scope' });
  });

  it('recorded nothing for those attempts, while an operator key with scope report is accepted and recorded', async () => {
    expect(await recorded(redis, config)).toHaveLength(0);
    const reporter = testMsisdn();
    const res = await report(await key({ operatorId: 'demo-fr' }, ['report']), reporter);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted', id: expect.any(String) });
    const entries = await recorded(redis, config);
    expect(entries).toHaveLength(1);
    // The app API gives the sender and has no way back to the subscriber: no sealed address is kept.
    expect(entries[0]).toMatchObject({
      operatorId: 'demo-fr',
      channel: { gateway: 'app' },
      gatewayMessageId: res.body.id,
      reporter: { sealed: null },
      sender: { kind: 'alphanumeric', value: 'PARCELS' },
      replies: false,
    });
    expect(JSON.stringify(entries[0])).not.toContain(reporter.slice(2));
  });
});
