import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { redisAnswers } from '@srs/devstack';
import { waitUntil } from './util';

/**
 * The persistence the intake's acknowledgement relies on (docs/OPERATIONS.md,
 * "Durability"): every write appended to the AOF and fsynced before Redis
 * answers, no RDB snapshots needed, and never a key evicted under memory pressure.
 */
export const DURABLE_REDIS_SETTINGS = {
  appendonly: 'yes',
  appendfsync: 'always',
  'maxmemory-policy': 'noeviction',
} as const;

/**
 * The soak's own redis-server, on a port of its own with its data in the soak's
 * temporary folder: the machine's Redis is never touched. A restart stops this
 * process and starts a new one on the same port and data directory, which must
 * load every acknowledged job back from the AOF.
 */
export class SoakRedis {
  private child: ChildProcess | undefined;
  starts = 0;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const binary = which('redis-server');
    if (!binary) throw new Error("redis-server not found: install Debian's redis-server (apt-get install redis-server)");
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no'];
    for (const [name, value] of Object.entries(DURABLE_REDIS_SETTINGS)) args.push(`--${name}`, value);
    const log = openSync(path.join(this.dir, 'redis.log'), 'a');
    this.child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.starts++;
    const child = this.child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return redisAnswers(this.url);
      },
      30_000,
      `redis-server on port ${this.port} did not answer`,
    );
  }

  /**
   * Stops the server with `signal` and waits for the process to exit. SIGKILL is
   * a crash: only what was fsynced to the AOF survives it.
   */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** Stops it (SIGKILL by default: the hardest case), leaves it down `downMs`, starts it again on the same port and folder. */
  async restart(signal: NodeJS.Signals, downMs: number): Promise<void> {
    await this.stop(signal);
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}
