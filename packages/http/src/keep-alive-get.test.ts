import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveGet } from './keep-alive-get';

/** Holds the whole process, timers and sockets alike, as a machine too busy to run it does. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('keepAliveGet: the timeout', () => {
  let server: Server;
  let url: URL;
  let answer: (res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/sendsms`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads an answer that came in time though the process was held up past the timeout before reading it', async () => {
    // The gateway answers at once; the process then stops running for longer than the timeout.
    answer = (res) => res.writeHead(202).end('0: Accepted for delivery', () => stall(400));
    await expect(keepAliveGet(url, 200)).resolves.toEqual({ status: 202, body: '0: Accepted for delivery' });
  });

  it('gives the gateway its whole timeout from when the request went out, though the process was held up while it connected', async () => {
    let requests = 0;
    answer = (res) => {
      requests++;
      res.writeHead(202).end('0: Accepted for delivery');
    };
    // A connection of its own: the stall falls between asking for it and writing the request on it.
    const sending = keepAliveGet(url, 200, { agent: new (await import('node:http')).Agent() });
    setImmediate(() => stall(400));
    await expect(sending).resolves.toEqual({ status: 202, body: '0: Accepted for delivery' });
    expect(requests).toBe(1);
  });

  it('still gives up on a gateway that does not answer within the timeout', async () => {
    let late: NodeJS.Timeout | undefined;
    answer = (res) => (late = setTimeout(() => res.writeHead(202).end('0: Accepted for delivery'), 1000));
    await expect(keepAliveGet(url, 200)).rejects.toMatchObject({ name: 'TimeoutError', code: 'TIMEOUT' });
    clearTimeout(late);
  });

  it('still gives up on a gateway that answers its status and then stops sending', async () => {
    answer = (res) => {
      res.writeHead(202);
      res.write('0: ');
    };
    await expect(keepAliveGet(url, 200)).rejects.toThrow(/no answer|aborted/);
  });
});
