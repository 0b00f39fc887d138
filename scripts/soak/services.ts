import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { elapsedMs, sleep, waitUntil } from './util';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ExitRecord {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** whether the soak caused it (a fault or the final stop) */
  expected: boolean;
}

/**
 * One service run from its build (`node services/<name>/dist/main.js`) with the
 * soak's environment, its output appended to a log file. Like a process
 * supervisor, it starts the service again a second after an exit the soak did
 * not cause, and records every exit.
 */
export class SupervisedService {
  private child: ChildProcess | undefined;
  private stopping = false;
  private expectExit = false;
  readonly exits: ExitRecord[] = [];
  starts = 0;

  constructor(
    readonly name: 'intake' | 'worker',
    private readonly env: Record<string, string>,
    /** answers 200 when the service is up */
    private readonly healthUrl: string,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const main = path.join(ROOT, 'services', this.name, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run -s build\` first (npm run soak does)`);
    const log = openSync(this.logFile, 'a');
    // Its own process group: Ctrl-C reaches the soak, which stops the services itself.
    const child = spawn(process.execPath, [main], { env: { ...process.env, ...this.env }, stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.child = child;
    this.starts++;
    this.expectExit = false;
    child.once('exit', (code, signal) => {
      this.exits.push({ at: Date.now(), code, signal, expected: this.expectExit || this.stopping });
      if (!this.expectExit && !this.stopping) setTimeout(() => void this.start().catch(() => undefined), 1000);
    });
    await waitUntil(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}) while starting`);
        try {
          return (await fetch(this.healthUrl, { signal: AbortSignal.timeout(1000) })).status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      `${this.name} did not answer ${this.healthUrl}`,
    );
  }

  /** Sends `signal` and waits for the process to exit; resolves with its exit code (null when killed by a signal). */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return { code: child?.exitCode ?? null, ms: 0 };
    this.expectExit = true;
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    return { code, ms: Date.now() - started };
  }

  /** Stops the process with `signal`, waits `downMs`, starts it again and waits until it answers. */
  async restart(signal: NodeJS.Signals, downMs: number): Promise<{ code: number | null; ms: number }> {
    const stopped = await this.kill(signal);
    await sleep(downMs);
    await this.start();
    return stopped;
  }

  /** Final stop: SIGTERM, SIGKILL after 20 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  /** Exits the soak did not cause (crashes), after which the service was started again. */
  unexpectedExits(): ExitRecord[] {
    return this.exits.filter((e) => !e.expected);
  }
}

/**
 * Stands in for Kannel's sendsms interface: the worker's replies to the
 * subscribers are accepted (202) and counted, so outbound jobs complete. Each
 * reply to a report names the report's reference, so a reply received twice
 * (same recipient, same text) was sent twice.
 */
export class SendsmsSink {
  private server: Server | undefined;
  received = 0;
  /** when each reply (recipient and text) was received, on the soak's clock (ms since the load began) */
  readonly byReply = new Map<string, number[]>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/cgi-bin/sendsms`;
  }

  /** replies received more than once: how many, how many times beyond the first in all, and up to `limit` of them with their times */
  repeated(limit = 5): { replies: number; extra: number; sample: Array<{ reply: string; atMs: number[] }> } {
    let replies = 0;
    let extra = 0;
    const sample: Array<{ reply: string; atMs: number[] }> = [];
    for (const [reply, atMs] of this.byReply) {
      if (atMs.length < 2) continue;
      replies++;
      extra += atMs.length - 1;
      if (sample.length < limit) sample.push({ reply, atMs });
    }
    return { replies, extra, sample };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.received++;
      const query = new URL(req.url ?? '/', 'http://sink').searchParams;
      const reply = `${query.get('to')} ${query.get('text')}`;
      this.byReply.set(reply, [...(this.byReply.get(reply) ?? []), elapsedMs()]);
      res.writeHead(202, { 'content-type': 'text/plain' }).end('0: Accepted for delivery');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
