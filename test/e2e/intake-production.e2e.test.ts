import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  freePort,
  startService,
  testMsisdn,
  uniqueSuffix,
  waitForHttp,
  type ServiceProcess,
  type TestDatabase,
} from '@srs/testkit';

/**
 * The attack of issue 24, point 4: with neither KANNEL_MO_TOKEN nor
 * KANNEL_MO_ALLOW_FROM the Kannel endpoint took MO messages from anyone, in
 * production too, so three GETs with invented numbers shared a bank's domain.
 * The built intake, started as an operator would start it in production.
 */
describe('the intake in production', () => {
  let db: TestDatabase;
  const running: ServiceProcess[] = [];
  const production = () => ({
    NODE_ENV: 'production',
    MSISDN_HMAC_KEY: randomBytes(32).toString('hex'),
    MSISDN_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    DATABASE_URL: db.url,
    QUEUE_PREFIX: `srs-e2e-${uniqueSuffix()}`,
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(running.map((s) => s.terminate()));
    await db.drop();
  });

  async function exitOf(service: ServiceProcess, timeoutMs = 20_000): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (service.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return service.child.exitCode;
  }

  it('refuses to start a Kannel connection that would take messages from anyone, naming what to set', async () => {
    const intake = startService('intake', { ...production(), INTAKE_PORT: String(await freePort()) });
    running.push(intake);
    expect(await exitOf(intake)).not.toBe(0);
    expect(intake.output()).toMatch(/Kannel connection kannel would take MO messages from anyone/);
    expect(intake.output()).toContain('KANNEL_MO_TOKEN');
    expect(intake.output()).toContain('KANNEL_MO_ALLOW_FROM');
  });

  it("with a token, turns away the unauthenticated GETs that would invent reporters and takes Kannel's", async () => {
    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    const intake = startService('intake', { ...production(), INTAKE_PORT: String(port), KANNEL_MO_TOKEN: token });
    running.push(intake);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 20_000, intake);
    const mo = (n: number) =>
      `http://127.0.0.1:${port}/v1/gateways/kannel/mo?from=${testMsisdn()}&to=7726&id=poison-${uniqueSuffix()}-${n}&text=Your+account+is+locked+verify+at+https%3A%2F%2Fsecure-bank-login.top%2Fx`;
    for (const n of [1, 2, 3]) expect((await fetch(mo(n))).status).toBe(403);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n).toBe(0);
    expect((await fetch(`${mo(4)}&token=${token}`)).status).toBe(202);
  });
});
