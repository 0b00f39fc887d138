import type { Config } from '@srs/config';
import { createTestDatabase, testMsisdn, uniqueSuffix, type TestApp, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { recorded } from './inbox';
import { startIntakeApp } from './intake-harness';

const MO = '/v1/gateways/kannel/mo';
const TOKEN = 'kannel-mo-token-0123456789';

/** Kannel connections authenticated by a shared token and by the smsbox's address. */
describe('Kannel MO authentication', () => {
  const routes = (allowFrom: string[]) =>
    JSON.stringify({
      operators: {
        'demo-uk': { country: 'GB', language: 'en', shortCode: '7726' },
        'demo-fr': { country: 'FR', language: 'fr', shortCode: '33700' },
      },
      kannel: [
        {
          name: 'uk',
          operator: 'demo-uk',
          smsc: ['UK'],
          sendsmsUrl: 'http://127.0.0.1:9/cgi-bin/sendsms',
          user: 'u',
          password: 'p',
          moToken: TOKEN,
        },
        {
          name: 'fr',
          operator: 'demo-fr',
          smsc: ['FR'],
          sendsmsUrl: 'http://127.0.0.1:9/cgi-bin/sendsms',
          user: 'u',
          password: 'p',
          allowFrom,
        },
      ],
    });
  let db: TestDatabase;
  const started: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of started) await app.close();
    await db.drop();
  });

  /** An intake of its own (routes, prefix) on the file's one database. */
  async function intake(allowFrom: string[]): Promise<{ url: string; config: Config }> {
    const app = await startIntakeApp({ db, config: { INTAKE_ROUTES: routes(allowFrom) } });
    started.push(app);
    return { url: app.url, config: app.config };
  }
  const mo = (smsc: string, extra: Record<string, string> = {}) => ({
    from: testMsisdn(),
    to: '7726',
    text: 'SPAM 07700900123 pay at http://x.example',
    id: `a-${uniqueSuffix()}`,
    smsc,
    ...extra,
  });
  /** The messages an intake recorded in its inbox, under its own prefix. */
  const inbox = (config: Config) => recorded(started.find((app) => app.config === config)!.redis, config);

  it('takes a message carrying the connection token, as a query parameter or a header, and refuses one without it', async () => {
    const { url, config } = await intake([]);
    const inQuery = mo('UK', { token: TOKEN });
    const inHeader = mo('UK');
    expect((await request(url).get(MO).query(inQuery)).status).toBe(202);
    expect((await request(url).get(MO).query(inHeader).set('x-srs-token', TOKEN)).status).toBe(202);
    // Recorded for the connection's operator, and the token itself is kept nowhere.
    const taken = await inbox(config);
    expect(taken.map((e) => e.gatewayMessageId).sort()).toEqual([inQuery.id, inHeader.id].sort());
    for (const entry of taken) {
      expect(entry).toMatchObject({
        operatorId: 'demo-uk',
        channel: { gateway: 'kannel', connection: 'uk' },
        smsc: 'UK',
        shortCode: '7726',
      });
      expect(JSON.stringify(entry)).not.toContain(TOKEN);
    }
    const before = taken.length;
    for (const extra of [{}, { token: 'wrong-token-0123456789abc' }, { token: TOKEN.slice(0, -1) }] as Array<Record<string, string>>) {
      const res = await request(url).get(MO).query(mo('UK', extra));
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'invalid_token', field: 'token', requestId: expect.any(String) });
    }
    expect(await inbox(config)).toHaveLength(before);
  });

  it('takes messages only from the addresses a connection allows', async () => {
    const allowed = await intake(['127.0.0.0/8']);
    expect((await request(allowed.url).get(MO).query(mo('FR'))).status).toBe(202);
    expect(await inbox(allowed.config)).toMatchObject([{ operatorId: 'demo-fr', channel: { gateway: 'kannel', connection: 'fr' } }]);
    const elsewhere = await intake(['10.0.0.0/8', '2001:db8::/32']);
    const res = await request(elsewhere.url).get(MO).query(mo('FR'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'source_not_allowed', field: 'source address' });
    expect(await inbox(elsewhere.config)).toHaveLength(0);
  });

  it('refuses to start with an address that is not one', async () => {
    await expect(intake(['not-an-address'])).rejects.toThrow(/allowFrom/);
  });
});
