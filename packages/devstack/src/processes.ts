import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface LocalService {
  name: string;
  url: string;
  /** Stops the server this process started, and waits for it to exit. */
  stop(): Promise<void>;
}

export type Log = (line: string) => void;

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/** Installs Debian packages when running as root; otherwise explains what to install. */
export function aptInstall(packages: string[], log: Log): void {
  if (!isRoot() || !which('apt-get')) {
    throw new Error(`${packages.join(', ')} not found: install ${packages.join(' ')} (or run as root to let this script install them)`);
  }
  log(`installing ${packages.join(' ')} from Debian packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: 'ignore' }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  if (!install()) throw new Error(`apt-get install ${packages.join(' ')} failed`);
}

/** Starts a long-running server as our child, its output going to a log file. */
export function startChild(command: string, args: string[], logFile: string, options: SpawnOptions = {}): ChildProcess {
  const out = createWriteStream(logFile, { flags: 'a' });
  // Its own process group: Ctrl-C reaches the launcher, which stops the databases after the services that use them.
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
