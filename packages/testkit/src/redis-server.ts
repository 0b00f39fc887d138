import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redisAnswers } from '@srs/devstack';

export interface DisposableRedis {
  url: string;
  port: number;
  /** Kills the server abruptly, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A Redis of a test's own (AOF on), for outages the test can cause without touching the shared one. */
export async function startDisposableRedis(port: number): Promise<DisposableRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'srs-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(url))) {
      if (Date.now() > deadline) throw new Error('disposable redis did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stopWith = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await start();
  return { url, port, kill: () => stopWith('SIGKILL'), restart: start, stop: () => stopWith('SIGTERM') };
}
