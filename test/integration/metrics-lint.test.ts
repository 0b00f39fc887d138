import { spawnSync } from 'node:child_process';
import {
  createTestDatabase,
  eventually,
  freePort,
  startSendsmsRecorder,
  startService,
  sumSamples,
  testMsisdn,
  uniqueSuffix,
  waitForHttp,
  type SendsmsRecorder,
  type ServiceProcess,
  type TestDatabase,
} from '@srs/testkit';
import { Redis } from 'ioredis';

/** What `promtool check metrics` (Debian's prometheus package) says of an exposition: nothing, when it lints clean. */
function promtool(exposition: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool did not run (apt-get install prometheus): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * Every service's /metrics, as Prometheus scrapes it from the built services
 * (the intake's SMPP process too, unbound: no SMSC listens on its port),
 * passes promtool's lint: counters end in _total and nothing else does, units
 * are in the names, every metric has its help text. Each service has served
 * traffic first, so its request, job and queue metrics are in the exposition.
 */
describe('metrics exposition of every service', () => {
  let db: TestDatabase;
  let recorder: SendsmsRecorder;
  const prefix = `srs-metrics-lint-${uniqueSuffix()}`;
  const services: Record<string, { url: string; process: ServiceProcess }> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    recorder = await startSendsmsRecorder();
    const env = {
      DATABASE_URL: db.url,
      QUEUE_PREFIX: prefix,
      KANNEL_SENDSMS_URL: recorder.url,
      DATABASE_POOL_SIZE: '3',
      ANALYSER_THREADS: '0',
      STATS_ROLLUP_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    };
    const ports: Record<string, string> = {
      intake: 'INTAKE_PORT',
      worker: 'WORKER_HEALTH_PORT',
      'sharing-api': 'SHARING_PORT',
      stats: 'STATS_PORT',
    };
    for (const [name, variable] of Object.entries(ports)) {
      const port = await freePort();
      services[name] = { url: `http://127.0.0.1:${port}`, process: startService(name, { ...env, [variable]: String(port) }) };
    }
    const smppPort = await freePort();
    services['intake-smpp'] = {
      url: `http://127.0.0.1:${smppPort}`,
      process: startService(
        'intake',
        { ...env, SMPP_ENABLED: 'true', SMPP_PORT: String(await freePort()), SMPP_HEALTH_PORT: String(smppPort) },
        'smpp-main.js',
      ),
    };
    // Alive is enough to be scraped (the SMPP process is never ready: it is not bound).
    await Promise.all(Object.values(services).map((s) => waitForHttp(`${s.url}/healthz`, 45_000, s.process)));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.process.terminate()));
    await recorder?.close();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    await db?.drop();
  }, 60_000);

  const scrape = async (service: string) => (await fetch(`${services[service]!.url}/metrics`)).text();

  it('lints clean with promtool on the intake, its SMPP process, the worker, the sharing API and the statistics', async () => {
    const mo = new URLSearchParams({
      from: testMsisdn(),
      to: '7726',
      text: 'SPAM 07700900123 Your parcel fee is due at http://fee.example/x',
      id: `m-${uniqueSuffix()}`,
    });
    expect((await fetch(`${services.intake!.url}/v1/gateways/kannel/mo?${mo}`)).status).toBe(202);
    for (const api of ['sharing-api', 'stats']) {
      expect((await fetch(`${services[api]!.url}/v1/nothing-here`)).status).toBe(404);
    }
    // The report's way through the worker: the job, the reply and the analysis have all been counted.
    await eventually(
      () => scrape('worker'),
      (text) => sumSamples(text, 'srs_reports_analysed_total') >= 1 && sumSamples(text, 'srs_replies_total') >= 1,
    );

    const findings: Record<string, string> = {};
    for (const name of Object.keys(services)) {
      const text = await scrape(name);
      expect(text).toContain('srs_http_request_duration_seconds');
      const result = promtool(text);
      if (result.status !== 0 || result.output !== '') findings[name] = result.output || `exit ${result.status}`;
    }
    expect(findings).toEqual({});
  });
});
