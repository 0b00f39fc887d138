import { spawnSync } from 'node:child_process';
import {
  eventually,
  freePort,
  startProcessDeployment,
  startServiceOnFreePort,
  sumSamples,
  testMsisdn,
  uniqueSuffix,
  waitForHttp,
  type ProcessDeployment,
  type ServiceAt,
} from '@srs/testkit';

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
  let deployment: ProcessDeployment;
  const services: Record<string, ServiceAt> = {};

  beforeAll(async () => {
    deployment = await startProcessDeployment('srs-metrics-lint');
    const env = {
      ...deployment.env,
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
    for (const [name, variable] of Object.entries(ports)) services[name] = await startServiceOnFreePort(name, variable, env);
    services['intake-smpp'] = await startServiceOnFreePort(
      'intake',
      'SMPP_HEALTH_PORT',
      { ...env, SMPP_ENABLED: 'true', SMPP_PORT: String(await freePort()) },
      'smpp-main.js',
    );
    // Alive is enough to be scraped (the SMPP process is never ready: it is not bound).
    await Promise.all(Object.values(services).map((s) => waitForHttp(`${s.url}/healthz`, 45_000, s.service)));
  }, 90_000);

  afterAll(async () => {
    await deployment?.close(Object.values(services).map((s) => s.service));
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
