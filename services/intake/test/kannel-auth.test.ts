import type { RunningServer } from '@srs/http';
import { createRedis, ReportsQueue, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, testMsisdn, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { startIntakeServer } from '../src/server';

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
  let redis: RedisClient;
  const started: Array<{ server: RunningServer; queue: ReportsQueue }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const { server, queue } of started) {
      await server.close(1000);
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
    redis?.disconnect();
    await db.drop();
  });

  async function intake(allowFrom: string[]): Promise<{ url: string; queue: ReportsQueue }> {
    const config = testConfig({ DATABASE_URL: db.url, INTAKE_ROUTES: routes(allowFrom) });
    redis ??= createRedis(config.redis.url, 'producer');
    const queue = new ReportsQueue({ connection: redis, prefix: config.redis.prefix }, config.intake.dedupTtlSeconds);
    await queue.queue.waitUntilReady();
    const server = await startIntakeServer(
      { config, logger: capturingLogger('intake').logger, pool: db.pool, redis, reportsQueue: queue },
      0,
    );
    started.push({ server, queue });
    return { url: server.url, queue };
  }
  const mo = (smsc: string, extra: Record<string, string> = {}) => ({
    from: testMsisdn(),
    to: '7726',
    text: 'SPAM 07700900123 pay at http://x.example',
    id: `a-${uniqueSuffix()}`,
    smsc,
    ...extra,
  });
  const jobs = async (queue: ReportsQueue) => (await queue.queue.getJobs(['waiting', 'active', 'completed', 'failed'])).length;

  it('takes a message carrying the connection token, as a query parameter or a header, and refuses one without it', async () => {
    const { url, queue } = await intake([]);
    expect(
      (
        await request(url)
          .get(MO)
          .query(mo('UK', { token: TOKEN }))
      ).status,
    ).toBe(202);
    expect((await request(url).get(MO).query(mo('UK')).set('x-srs-token', TOKEN)).status).toBe(202);
    const before = await jobs(queue);
    for (const extra of [{}, { token: 'wrong-token-0123456789abc' }, { token: TOKEN.slice(0, -1) }] as Array<Record<string, string>>) {
      const res = await request(url).get(MO).query(mo('UK', extra));
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'invalid_token', field: 'token', requestId: expect.any(String) });
    }
    expect(await jobs(queue)).toBe(before);
  });

  it('takes messages only from the addresses a connection allows', async () => {
    const allowed = await intake(['127.0.0.0/8']);
    expect((await request(allowed.url).get(MO).query(mo('FR'))).status).toBe(202);
    const elsewhere = await intake(['10.0.0.0/8', '2001:db8::/32']);
    const res = await request(elsewhere.url).get(MO).query(mo('FR'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'source_not_allowed', field: 'source address' });
    expect(await jobs(elsewhere.queue)).toBe(0);
  });

  it('refuses to start with an address that is not one', async () => {
    await expect(intake(['not-an-address'])).rejects.toThrow(/allowFrom/);
  });
});
