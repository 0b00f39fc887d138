import { request as httpRequest, Agent } from 'node:http';
import express from 'express';
import { listen } from './serve';

describe('listen: graceful close', () => {
  it('ends busy keep-alive connections with their next answer instead of serving on them', async () => {
    const app = express();
    // The second request is held until the server is closing: it is then surely busy, not idle.
    let requests = 0;
    let arrived!: () => void;
    const secondArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    app.get('/', (_req, res) => {
      if (++requests === 1) return void res.send('ok');
      arrived();
      void released.then(() => res.send('ok'));
    });
    const server = await listen(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ connection: string | undefined }>((resolve, reject) => {
        httpRequest(`${server.url}/`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ connection: res.headers.connection }));
        })
          .on('error', reject)
          .end();
      });
    expect((await get()).connection).toBe('keep-alive');
    const inFlight = get();
    // Closing while the request is still on its way would find the connection idle and close it.
    await secondArrived;
    // A grace longer than the test may run: closing must not wait for it once the request is answered.
    const closed = server.close(600_000);
    release();
    expect((await inFlight).connection).toBe('close');
    await closed;
    agent.destroy();
  });
});
