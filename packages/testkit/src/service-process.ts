import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
