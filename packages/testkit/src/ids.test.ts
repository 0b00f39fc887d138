import { createServer } from 'node:net';
import { freePort } from './ids';

describe('freePort', () => {
  it('hands distinct ports to concurrent callers, all below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeLessThan(32_768);
  });

  it('skips a port something already listens on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port + 1, '127.0.0.1', resolve));
    try {
      expect(await freePort()).not.toBe(port + 1);
    } finally {
      server.close();
    }
  });
});
