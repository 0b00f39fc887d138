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

/**
 * Ports handed out below the kernel's ephemeral range (32768–60999 on Linux):
 * a port found free by binding to 0 sat in that range, where an outgoing
 * connection or another test file's listen(0) could take it before the
 * service under test bound it (a CI run lost a whole suite to that). Each
 * process walks its own random stretch of the range.
 */
const PORT_RANGE = { first: 15_000, size: 17_000 };
let nextPort = PORT_RANGE.first + Math.floor(Math.random() * PORT_RANGE.size);

/** A TCP port on 127.0.0.1 that is free now and outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = (nextPort = PORT_RANGE.first + ((nextPort - PORT_RANGE.first + 1) % PORT_RANGE.size));
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
