import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A short random suffix: test isolation by unique names, never by luck or order. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

let nextMsisdn = Math.floor(Math.random() * 1000);

/**
 * A fake subscriber number in the UK drama range (07700 900000–900999). Each
 * call in a test process gives the next one, so no two tests of a file share a
 * subscriber (random draws from 1,000 numbers collided within a file).
 */
export function testMsisdn(): string {
  nextMsisdn = (nextMsisdn + 1) % 1000;
  return `447700900${String(nextMsisdn).padStart(3, '0')}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
