import type { ApiScope } from '@srs/db';
import { eventually, testMsisdn, uniqueSuffix } from '@srs/testkit';
import request from 'supertest';
import { startStackWithSharing, type Stack, type StackWithSharing } from './stack-harness';

/**
 * The attack of issue 24, point 4: whoever holds a way in invents reporters to
 * push a bank's domain into the shared feed. Through an unauthenticated Kannel
 * endpoint (refused: see test/e2e/intake-production.e2e.test.ts and the token
 * `npm start` generates) or, as here, with an operator's app API key, which
 * may name any reporter number it likes. Only a key whose operator vouches for
 * the numbers (scope `attest`) counts each number as a subscriber of its own.
 */
describe('an app key cannot invent the reporters that share an indicator', () => {
  let stack: StackWithSharing;
  let db: Stack['db'];
  let intake: Stack['intake'];
  let sharing: StackWithSharing['sharing'];
  let readerKey: string;

  beforeAll(async () => {
    stack = await startStackWithSharing({ config: { INDICATOR_MIN_REPORTERS: '2', WORKER_CONCURRENCY: '4' } });
    ({ db, intake, sharing } = stack);
    readerKey = await key('demo-fr', ['read']);
  });

  afterAll(() => stack?.close());

  const key = (operatorId: string, scopes: ApiScope[]) => stack.key(operatorId, scopes, 'app');

  /** Three reports of one lure, each "from" a number the attacker made up; resolves once all three are analysed. */
  async function reportWithInventedNumbers(appKey: string, domain: string, sender: string): Promise<void> {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = `poison-${uniqueSuffix()}`;
      const res = await request(intake.url)
        .post('/v1/reports')
        .set('authorization', `Bearer ${appKey}`)
        .send({
          reporter: testMsisdn(),
          sender,
          id,
          text: `Your card has been suspended. Verify your identity now at https://${domain}/login to avoid closure`,
        });
      expect(res.status).toBe(202);
      ids.push(id);
    }
    await eventually(
      async () =>
        (
          await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = ANY($1) AND analysed_at IS NOT NULL', [
            ids,
          ])
        ).rows[0].n,
      (n) => n === 3,
      30_000,
    );
  }

  async function shared(): Promise<string[]> {
    const res = await request(sharing.url).get('/v1/indicators?limit=1000').set('authorization', `Bearer ${readerKey}`);
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ value: string }>).map((i) => i.value);
  }
  const lure = () => ({
    domain: `secure-${uniqueSuffix()
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()}-bank.top`,
    sender: `+${testMsisdn().replace(/^\+/, '')}`,
  });

  it('counts every number a key without `attest` claims as one reporter, so three invented reporters share nothing', async () => {
    const { domain, sender } = lure();
    await reportWithInventedNumbers(await key('demo-uk', ['report']), domain, sender);
    // Give the analyser a few more passes: nothing may appear late either.
    await new Promise((r) => setTimeout(r, 1500));
    const values = await shared();
    expect(values).not.toContain(domain);
    expect(values).not.toContain(sender);
  });

  it('takes the numbers of a key whose operator attests them as distinct subscribers', async () => {
    const { domain, sender } = lure();
    await reportWithInventedNumbers(await key('demo-uk', ['report', 'attest']), domain, sender);
    expect(await eventually(shared, (v) => v.includes(domain) && v.includes(sender), 20_000, 250)).toEqual(
      expect.arrayContaining([domain, sender]),
    );
  });
});
