import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import {
  capturingLogger,
  createTestDatabase,
  deleteRedisPrefix,
  eventually,
  freePort,
  startSendsmsRecorder,
  testConfig,
  uniqueSuffix,
  type SendsmsRecorder,
  type TestDatabase,
} from '@srs/testkit';
import { startIntakeServer } from '../../services/intake/src/server';
import { startWorkers, type RunningWorkers } from '../../services/worker/src/workers';

const CLI = path.join(__dirname, '..', '..', 'services', 'cli', 'dist', 'main.js');
const run = promisify(execFile);
const DAY = 86_400_000;

/**
 * `srs demo` against a real intake and worker on the real PostgreSQL and
 * Redis: what it sends over HTTP is stored as reports of several operators,
 * senders and days, analysed into campaigns, and a second run files nothing twice.
 */
describe('srs demo', () => {
  let db: TestDatabase;
  let kannel: SendsmsRecorder;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let intake: RunningServer;
  let workers: RunningWorkers;
  let config: ReturnType<typeof testConfig>;
  // Letters only: the output is searched for digit runs that could be a subscriber's number.
  const seed = `test-${uniqueSuffix().replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    kannel = await startSendsmsRecorder();
    config = testConfig({ DATABASE_URL: db.url, KANNEL_SENDSMS_URL: kannel.url, WORKER_CONCURRENCY: '8' });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    intake = await startIntakeServer({ config, logger: capturingLogger('intake').logger, pool: db.pool, redis }, 0);
    workers = startWorkers({ config, logger: capturingLogger('worker').logger, pool: db.pool, workerRedis, producerRedis: redis });
  });

  afterAll(async () => {
    await workers.close();
    await intake.close(1000);
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    workerRedis.disconnect();
    await kannel.close();
    await db.drop();
  });

  const srs = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' } }).then(
      (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ status: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
  const demo = () =>
    srs('demo', '--intake', intake.url, '--reports', '200', '--days', '14', '--seed', seed, '--concurrency', '8', '--kannel-share', '0.5');
  const query = <T extends Record<string, unknown>>(sql: string) => db.pool.query<T>(sql).then((r) => r.rows);

  it('files its reports through the intake: several operators, sender kinds, channels and days', async () => {
    const first = await demo();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/demo: 200 reports over 14 days/);
    expect(first.stdout).toMatch(/sent 200 reports in [\d.]+ s: 200 accepted\n/);
    // never a subscriber's number
    expect(first.stdout).not.toMatch(/\d{9,}/);

    const stored = await eventually(
      () => query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE sender_kind IS NOT NULL AND analysed_at IS NOT NULL'),
      (rows) => rows[0]!.n === 200,
      30_000,
    );
    expect(stored[0]!.n).toBe(200);
    const operators = await query<{ operator_id: string }>('SELECT DISTINCT operator_id FROM reports');
    expect(operators.length).toBeGreaterThanOrEqual(3);
    const kinds = await query<{ sender_kind: string }>('SELECT DISTINCT sender_kind FROM reports');
    expect(kinds.map((k) => k.sender_kind).sort()).toEqual(['alphanumeric', 'msisdn', 'short_code']);
    const gateways = await query<{ gateway: string }>('SELECT DISTINCT gateway FROM reports ORDER BY gateway');
    expect(gateways.map((g) => g.gateway)).toEqual(['app', 'kannel']);

    const [spread] = await query<{ first: Date; last: Date; days: number }>(
      "SELECT min(received_at) AS first, max(received_at) AS last, count(DISTINCT date_trunc('day', received_at))::int AS days FROM reports",
    );
    expect(spread!.last.getTime() - spread!.first.getTime()).toBeGreaterThan(7 * DAY);
    expect(spread!.last.getTime()).toBeLessThanOrEqual(Date.now());
    expect(spread!.days).toBeGreaterThanOrEqual(10);

    // reports through Kannel were conversations: the subscriber was asked for the sender and thanked
    expect(kannel.received.length).toBeGreaterThan(0);
    // the worker found campaigns reported by several subscribers, spam and mistaken reports
    const [campaigns] = await query<{ n: number }>('SELECT count(*)::int AS n FROM campaigns WHERE reporter_count >= 3');
    expect(campaigns!.n).toBeGreaterThanOrEqual(3);
    const [mix] = await query<{ spam: number; ham: number }>(
      'SELECT count(*) FILTER (WHERE spam)::int AS spam, count(*) FILTER (WHERE NOT spam)::int AS ham FROM reports',
    );
    expect(mix!.spam).toBeGreaterThan(140);
    expect(mix!.ham).toBeGreaterThan(10);
    // the keys it made for itself are revoked
    const keys = await query<{ revoked: boolean }>("SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE name = 'srs demo'");
    expect(keys.length).toBe(4);
    expect(keys.every((k) => k.revoked)).toBe(true);
  });

  it('files nothing twice when run again with the same seed', async () => {
    const again = await demo();
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/sent 200 reports in [\d.]+ s: 200 duplicate\n/);
    expect(again.stdout).toMatch(/give another --seed/);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM reports'))[0]!.n).toBe(200);
  });

  it('says to start the intake when none answers, and exits 1', async () => {
    const result = await srs('demo', '--intake', `http://127.0.0.1:${await freePort()}`, '--reports', '5');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the intake at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\): is npm start running\?/);
  });

  it('refuses malformed options with a clear message', async () => {
    for (const [args, message] of [
      [['--reports', '0'], /whole number above 0/],
      [['--kannel-share', '2'], /between 0 and 1/],
      [['--intake', 'nowhere'], /a URL/],
    ] as const) {
      const result = await srs('demo', ...args);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
