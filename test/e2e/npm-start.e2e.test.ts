import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@srs/db';
import { postgresAnswers, redisAnswers } from '@srs/devstack';
import { freePort, REPO_ROOT, testMsisdn, uniqueSuffix } from '@srs/testkit';

const execFileAsync = promisify(execFile);

/**
 * `npm start` on a machine where nothing answers at the configured PostgreSQL
 * and Redis URLs: it must start both, create and migrate the database, seed the
 * demo consortium, run the services, and stop everything on Ctrl-C.
 */
describe('npm start with no PostgreSQL or Redis running', () => {
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'srs-start-'));
    chmodSync(dataDir, 0o755);
    const [pgPort, redisPort, intakePort, workerPort, kannelPort, sharingPort, statsPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/srs_start`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      INTAKE_PORT: String(intakePort),
      WORKER_HEALTH_PORT: String(workerPort),
      SHARING_PORT: String(sharingPort),
      STATS_PORT: String(statsPort),
      KANNEL_SENDSMS_URL: `http://127.0.0.1:${kannelPort}/cgi-bin/sendsms`,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: `srs-start-${uniqueSuffix()}`,
    };
    expect(await postgresAnswers(env.DATABASE_URL!)).toBe(false);
    expect(await redisAnswers(env.REDIS_URL!)).toBe(false);
    // Its own process group, so a signal to the group is what Ctrl-C in a terminal sends. As
    // `npm start` runs it: node with tsx's loader, no tsx process in between to relay signals.
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('is running') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!output.includes('is running')) throw new Error(`npm start did not come up:\n${output}`);
  }, 120_000);

  afterAll(() => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints where each service listens and how to send a first report', () => {
    expect(output).toContain(`http://127.0.0.1:${env.INTAKE_PORT}/v1/gateways/kannel/mo`);
    expect(output).toContain(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/readyz`);
    expect(output).toContain(`http://127.0.0.1:${env.SHARING_PORT}/v1/indicators`);
    expect(output).toContain('infra/kannel/up.sh');
    expect(output).toContain('curl');
    expect(output).toMatch(/starting PostgreSQL/);
    expect(output).toMatch(/starting Redis/);
  });

  it("opens the regulator dashboard with the demo regulator's key it prints", async () => {
    const dashboard = `http://127.0.0.1:${env.STATS_PORT}/dashboard/`;
    expect(output).toContain(dashboard);
    const key = /sign in with the demo regulator's key:\s+(srs_\S+)/.exec(output)?.[1];
    expect(key).toBeDefined();
    const page = await fetch(dashboard);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const meta = await fetch(`http://127.0.0.1:${env.STATS_PORT}/v1/stats/meta`, { headers: { authorization: `Bearer ${key}` } });
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as { time_zone: string }).time_zone).toBe('UTC');
  });

  it("opens the operators' portal with the demo operator's key it prints", async () => {
    const portal = `http://127.0.0.1:${env.SHARING_PORT}/portal/`;
    expect(output).toContain(portal);
    const key = /sign in with the demo operator's key \(demo-uk, scope read,feedback,admin\):\s+(srs_\S+)/.exec(output)?.[1];
    expect(key).toBeDefined();
    const page = await fetch(portal);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const now = await fetch(`http://127.0.0.1:${env.SHARING_PORT}/v1/portal/now`, { headers: { authorization: `Bearer ${key}` } });
    expect(now.status).toBe(200);
    expect(((await now.json()) as { hours: number }).hours).toBe(24);
  });

  it('has created the database, applied the migrations and seeded the demo consortium', async () => {
    const pool = createPool({ url: env.DATABASE_URL!, max: 1 });
    try {
      const operators = await pool.query('SELECT id FROM operators ORDER BY id');
      const regulators = await pool.query('SELECT id FROM regulators');
      expect(operators.rows.map((r) => r.id)).toEqual(['demo-fr', 'demo-uk']);
      expect(regulators.rows.map((r) => r.id)).toEqual(['demo-regulator']);
    } finally {
      await pool.end();
    }
  });

  it('takes a report sent as the banner shows, with curl-like GET and the Kannel token it generated', async () => {
    const token = /Kannel MO token (\S+)/.exec(output)?.[1];
    expect(token).toBeDefined();
    expect(readFileSync(path.join(dataDir, 'kannel-mo-token'), 'utf8').trim()).toBe(token);
    expect(output).toContain(`&token=${token}'`);
    const id = `curl-${uniqueSuffix()}`;
    const mo = `http://127.0.0.1:${env.INTAKE_PORT}/v1/gateways/kannel/mo?from=${testMsisdn()}&to=7726&id=${id}&text=URGENT+your+parcel+is+held`;
    expect((await fetch(mo)).status).toBe(403);
    const res = await fetch(`${mo}&token=${token}`);
    expect(res.status).toBe(202);
    const pool = createPool({ url: env.DATABASE_URL!, max: 1 });
    try {
      let rows: unknown[] = [];
      for (let i = 0; i < 50 && rows.length === 0; i++) {
        rows = (await pool.query('SELECT body FROM reports WHERE gateway_message_id = $1', [id])).rows;
        if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows).toEqual([{ body: 'URGENT your parcel is held' }]);
    } finally {
      await pool.end();
    }
  });

  it('fills the dashboard with `srs demo` through the running intake (its Kannel MOs with the generated token), worker and statistics', async () => {
    // Asynchronously: a blocked event loop would miss the server closing idle keep-alive connections, and reuse a dead one.
    const demo = await execFileAsync(
      process.execPath,
      ['services/cli/dist/main.js', 'demo', '--reports', '80', '--days', '7', '--kannel-share', '0.5'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(demo.stdout).toMatch(/80 accepted/);
    const key = /sign in with the demo regulator's key:\s+(srs_\S+)/.exec(output)![1]!;
    // By day: the demo's reports fall mostly in the current week, which is published once it is over; days are once they are.
    const days = async () => {
      const res = await fetch(
        `http://127.0.0.1:${env.STATS_PORT}/v1/stats/reports?grain=day&from=${new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10)}`,
        {
          headers: { authorization: `Bearer ${key}` },
        },
      );
      return ((await res.json()) as { total: { published_sum: number } }).total.published_sum;
    };
    let counted = 0;
    for (let i = 0; i < 60 && counted < 40; i++) {
      counted = await days();
      if (counted < 40) await new Promise((r) => setTimeout(r, 500));
    }
    expect(counted).toBeGreaterThanOrEqual(40);
  }, 90_000);

  it('stops everything it started on Ctrl-C and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('[start] stopped');
    expect(await postgresAnswers(env.DATABASE_URL!)).toBe(false);
    expect(await redisAnswers(env.REDIS_URL!)).toBe(false);
    for (const port of [env.INTAKE_PORT, env.WORKER_HEALTH_PORT, env.SHARING_PORT, env.STATS_PORT]) {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  });
});
