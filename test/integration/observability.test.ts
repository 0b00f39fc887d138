import { createMetricsRegistry, createServiceApp, listen, type RunningServer } from '@srs/http';
import { QUEUES } from '@srs/queue';
import { capturingLogger, eventually, startSendsmsRecorder, testMsisdn, uniqueSuffix, type SendsmsRecorder } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { createStatsApp } from '../../services/stats/src/app';
import { queueDashboard } from '../../services/worker/src/admin/queue-dashboard';
import { startStack, type Stack } from './stack-harness';

/** The value of the first sample of `name` carrying all these labels, in any order; undefined when none. */
function sample(text: string, name: string, labels: Record<string, string | RegExp>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...m[2]!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => (typeof v === 'string' ? found[k] === v : v.test(found[k] ?? '')))) return Number(m[3]);
  }
  return undefined;
}

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** Prometheus metrics on every service, and the queue dashboard behind the admin token. */
describe('observability', () => {
  let stack: Stack;
  let db: Stack['db'];
  let config: Stack['config'];
  let redis: Stack['redis'];
  let intake: Stack['intake'];
  let kannel: SendsmsRecorder;
  let workerHealth: RunningServer;
  const logs = capturingLogger('observability');

  beforeAll(async () => {
    kannel = await startSendsmsRecorder();
    const metrics = createMetricsRegistry('worker');
    stack = await startStack({
      config: { KANNEL_SENDSMS_URL: kannel.url, STATS_ROLLUP_INTERVAL_MS: '200' },
      loggers: { intake: logs.logger, worker: logs.logger },
      worker: { metrics },
    });
    ({ db, config, redis, intake } = stack);
    const app = createServiceApp({ logger: logs.logger, checks: {}, metrics, metricsToken: METRICS_TOKEN }, (a) => {
      a.use(queueDashboard(stack.workers.queues, ADMIN_TOKEN));
    });
    workerHealth = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await workerHealth?.close(1000);
    await stack?.close();
    await kannel?.close();
  });

  it('counts intake messages by gateway and status, and request latency by route pattern, never a number', async () => {
    const msisdn = testMsisdn();
    const res = await request(intake.url)
      .get('/v1/gateways/kannel/mo')
      .query({
        from: msisdn,
        to: '7726',
        text: 'SPAM 07700900123 Your parcel fee is due at http://fee.example/x',
        id: `m-${uniqueSuffix()}`,
      });
    expect(res.status).toBe(202);
    await request(intake.url).get('/v1/gateways/kannel/mo').query({ to: '7726', text: 'x', id: 'no-from' });
    const text = (await request(intake.url).get('/metrics')).text;
    expect(sample(text, 'srs_intake_messages_total', { gateway: 'kannel', status: 'accepted', service: 'intake' })).toBe(1);
    // What the message was taken for is decided behind the inbox: the intake counts what it recorded, by gateway and status only.
    const intakeLabels = text
      .split('\n')
      .filter((l) => l.startsWith('srs_intake_messages_total{'))
      .map((l) => [...l.matchAll(/([a-z_]+)="/g)].map((m) => m[1]).sort());
    expect(intakeLabels).toEqual([['gateway', 'service', 'status']]);
    expect(
      sample(text, 'srs_http_request_duration_seconds_count', { route: '/v1/gateways/kannel/mo', status: '202', service: 'intake' }),
    ).toBe(1);
    expect(sample(text, 'srs_http_request_duration_seconds_count', { route: '/v1/gateways/kannel/mo', status: '400' })).toBe(1);
    expect(sample(text, 'srs_process_resident_memory_bytes', { service: 'intake' })).toBeGreaterThan(0);
    expect(text).not.toContain(msisdn);
    expect(text).not.toContain(msisdn.slice(-9));
  });

  it('shows the inbox, the outbound queue, decided messages and analysed reports, behind the metrics token when one is set', async () => {
    expect((await request(workerHealth.url).get('/metrics')).status).toBe(401);
    const scrape = async () => (await request(workerHealth.url).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`)).text;
    // The first test's SPAM <sender> <text>: filed with its sender, counted once its steps (reply included) are carried out.
    const decided = (t: string) => sample(t, 'srs_inbox_decided_total', { outcome: 'report_with_sender', service: 'worker' }) ?? 0;
    // A report can be analysed while the message that stored it is still sending its reply: wait for both.
    const text = await eventually(
      scrape,
      (t) =>
        (sample(t, 'srs_reports_analysed_total', { result: 'analysed' }) ?? 0) >= 1 &&
        decided(t) >= 1 &&
        sample(t, 'srs_inbox_messages', { state: 'waiting' }) === 0,
    );
    expect(decided(text)).toBe(1);
    // Every message decided (committed out of the inbox), none set aside, and no sender window open: the report came with its sender.
    expect(sample(text, 'srs_inbox_messages', { state: 'waiting', service: 'worker' })).toBe(0);
    expect(sample(text, 'srs_inbox_messages', { state: 'dead', service: 'worker' })).toBe(0);
    expect(sample(text, 'srs_inbox_sender_windows', { service: 'worker' })).toBe(0);
    // The outbound queue keeps its gauges; the reports queue is gone.
    expect(sample(text, 'srs_queue_jobs', { queue: QUEUES.outbound, state: 'waiting', service: 'worker' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'srs_queue_jobs', { queue: 'reports' })).toBeUndefined();
    expect(sample(text, 'srs_replies_total', { path: 'direct' })).toBeGreaterThanOrEqual(1);
    await eventually(scrape, (t) => (sample(t, 'srs_statistics_rollup_total', { kind: 'reports' }) ?? 0) >= 1);
  });

  it('serves the BullMQ dashboard only with the admin token', async () => {
    const refused = await request(workerHealth.url).get('/admin/queues');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await request(workerHealth.url).get('/admin/queues').auth('admin', 'wrong-token-0123456789')).status).toBe(401);
    const page = await request(workerHealth.url).get('/admin/queues').auth('admin', ADMIN_TOKEN);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const api = await request(workerHealth.url).get('/admin/queues/api/queues').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(api.status).toBe(200);
    expect((api.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toEqual([QUEUES.outbound]);
  });

  it('gives the sharing API and the statistics their metrics too', async () => {
    for (const app of [
      createSharingApp({ config, logger: logs.logger, pool: db.pool, redis }),
      createStatsApp({ config, logger: logs.logger, pool: db.pool, redis }),
    ]) {
      const server = await listen(app, 0, '127.0.0.1');
      await request(server.url).get('/v1/nothing-here');
      const text = (await request(server.url).get('/metrics')).text;
      expect(
        sample(text, 'srs_http_request_duration_seconds_count', { route: 'unmatched', status: '404', service: /^(sharing-api|stats)$/ }),
      ).toBe(1);
      await server.close(1000);
    }
  });
});
