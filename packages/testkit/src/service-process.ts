import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, uniqueSuffix } from './ids';
import { deleteRedisPrefixAt } from './redis-keys';
import { startSendsmsRecorder, type SendsmsRecorder, type SendsmsRecorderOptions } from './sendsms-recorder';
import { createTestDatabase, type TestDatabase } from './test-database';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** everything the process wrote, stdout and stderr */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(timeoutMs?: number): Promise<number | null>;
}

/**
 * Runs a built service (`services/<name>/dist/main.js`) exactly as `npm run start -w services/<name>` would;
 * `entry` names another of its processes (the intake's `smpp-main.js`).
 * With `SRS_CPU_PROFILE_DIR` set, each service writes a V8 CPU profile there when it exits
 * (one file per thread), to see where a bench run's time went.
 */
export function startService(name: string, env: Record<string, string>, entry = 'main.js'): ServiceProcess {
  const main = path.join(REPO_ROOT, 'services', name, 'dist', entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const profileDir = process.env.SRS_CPU_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    output: () => out,
    terminate: async (timeoutMs = 15_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls a URL until it answers 200. */
export async function waitForHttp(url: string, timeoutMs = 20_000, service?: ServiceProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service && service.child.exitCode !== null) {
      throw new Error(`${service.name} exited with ${service.child.exitCode}:\n${service.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms${service ? `:\n${service.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A built service started on a port of its own, and the address it answers on. */
export interface ServiceAt {
  url: string;
  service: ServiceProcess;
}

/**
 * Starts a built service on a free port, handed to it in `portVariable`
 * (INTAKE_PORT, WORKER_HEALTH_PORT, SHARING_PORT, …); does not wait for it.
 */
export async function startServiceOnFreePort(
  name: string,
  portVariable: string,
  env: Record<string, string>,
  entry?: string,
): Promise<ServiceAt> {
  const port = await freePort();
  return { url: `http://127.0.0.1:${port}`, service: startService(name, { ...env, [portVariable]: String(port) }, entry) };
}

/**
 * One deployment scaled out on this machine: `intakes` intake processes and
 * `workers` worker processes on the same env (one database, one queue
 * prefix), each on a port of its own, resolved once every one is ready. When
 * one never gets ready the others are stopped before the error is thrown, so
 * no process outlives the test file.
 */
export async function startIntakesAndWorkers(
  env: Record<string, string>,
  counts: { intakes: number; workers: number },
  readyWithinMs = 45_000,
): Promise<{ intakes: ServiceAt[]; workers: ServiceAt[] }> {
  const intakes: ServiceAt[] = [];
  const workers: ServiceAt[] = [];
  for (let i = 0; i < counts.intakes; i++) intakes.push(await startServiceOnFreePort('intake', 'INTAKE_PORT', env));
  for (let i = 0; i < counts.workers; i++) workers.push(await startServiceOnFreePort('worker', 'WORKER_HEALTH_PORT', env));
  const all = [...intakes, ...workers];
  try {
    await Promise.all(all.map((p) => waitForHttp(`${p.url}/readyz`, readyWithinMs, p.service)));
  } catch (error) {
    await Promise.all(all.map((p) => p.service.terminate()));
    throw error;
  }
  return { intakes, workers };
}

/**
 * Stops the services; first prints the output of any that had already exited,
 * since a test that failed because a service was gone says nothing of why.
 */
export async function stopServices(services: ServiceProcess[]): Promise<void> {
  for (const s of services) {
    if (s.child.exitCode !== null) console.error(`${s.name} exited early with ${s.child.exitCode}:\n${s.output().slice(-4000)}`);
  }
  await Promise.all(services.map((s) => s.terminate()));
}

/**
 * What the built services of one deployment share when a test runs them as
 * processes: a fresh database, a sendsms recorder standing for Kannel, a
 * queue prefix of its own, and `env`, which points a service at all three.
 */
export interface ProcessDeployment {
  db: TestDatabase;
  recorder: SendsmsRecorder;
  prefix: string;
  /** DATABASE_URL, QUEUE_PREFIX and KANNEL_SENDSMS_URL; each test adds its own settings over them */
  env: Record<string, string>;
  /** Stops the services (as stopServices), then the recorder, deletes the prefix's keys and drops the database. */
  close(services: ServiceProcess[]): Promise<void>;
}

/** The database, recorder and prefix (`<label>-<random>`) a test's service processes share. */
export async function startProcessDeployment(label: string, recorder: SendsmsRecorderOptions = {}): Promise<ProcessDeployment> {
  const prefix = `${label}-${uniqueSuffix()}`;
  const db = await createTestDatabase();
  const sendsms = await startSendsmsRecorder(recorder).catch(async (error: unknown) => {
    await db.drop();
    throw error;
  });
  return {
    db,
    recorder: sendsms,
    prefix,
    env: { DATABASE_URL: db.url, QUEUE_PREFIX: prefix, KANNEL_SENDSMS_URL: sendsms.url },
    async close(services) {
      await stopServices(services);
      await sendsms.close();
      // The queues, conversation states, dedup markers and rate limits of the prefix.
      await deleteRedisPrefixAt(prefix);
      await db.drop();
    },
  };
}

/**
 * Settings for several service processes sharing this (2-core) machine: few
 * jobs at a time per worker, so one worker cannot take the whole load alone;
 * small pools; each worker's analyser on its main thread, no extra thread; and
 * only warnings in the output a failing test prints.
 */
export const SHARED_MACHINE_ENV: Readonly<Record<string, string>> = {
  WORKER_CONCURRENCY: '8',
  DATABASE_POOL_SIZE: '5',
  ANALYSER_THREADS: '0',
  LOG_LEVEL: 'warn',
};
