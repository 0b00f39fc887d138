import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let startedAt = Date.now();

/** Restarts the clock the log lines are stamped with (seconds since the load began). */
export function resetClock(): void {
  startedAt = Date.now();
}

export function elapsedMs(at = Date.now()): number {
  return at - startedAt;
}

/** One progress line, stamped with the time since the load began. */
export function say(line: string): void {
  const t = (elapsedMs() / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[soak ${t}s] ${line}\n`);
}

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it is true, or throws after `timeoutMs` (at once when `check` throws). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(150);
  }
}
