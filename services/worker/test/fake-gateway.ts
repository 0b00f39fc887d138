import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  body?: string;
  /** never answer, to exercise the sender's timeout */
  hang?: boolean;
  /** answer after this long */
  delayMs?: number;
  /** once the answer is written, hold this whole process this long, as a machine too busy to run the sender would */
  stallAfterMs?: number;
  /** close a kept-alive connection when a second request comes on it, as a gateway that timed it out would */
  dropReused?: boolean;
}

/** A loopback HTTP server playing the gateway: records each request and answers with `answer`. */
export async function startGateway(): Promise<{
  url: string;
  received: Received[];
  answer: Answer;
  connections(): number;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const state = { answer: { status: 200 } as Answer };
  const served = new WeakMap<object, number>();
  const server: Server = createServer((req, res) => {
    const before = served.get(req.socket) ?? 0;
    served.set(req.socket, before + 1);
    if (state.answer.dropReused && before > 0) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, body = '', hang, delayMs = 0, stallAfterMs } = state.answer;
      if (hang) return;
      const stall = () => {
        if (stallAfterMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stallAfterMs);
      };
      const send = () => res.writeHead(status, { 'content-type': 'application/json' }).end(body, stall);
      // A stall is answered from here, in the turn that reads sockets, so the sender's deadline falls due during it.
      if (stallAfterMs) send();
      else setTimeout(send, delayMs);
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connections: () => connections,
    url: `http://127.0.0.1:${port}`,
    received,
    get answer() {
      return state.answer;
    },
    set answer(a: Answer) {
      state.answer = a;
    },
    close: () => {
      server.closeAllConnections(); // drop the hung request, or close() waits for it
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
