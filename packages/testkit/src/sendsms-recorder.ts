import { createServer, type Server } from 'node:http';

export interface RecordedSms {
  params: Record<string, string>;
}

export interface SendsmsRecorder {
  url: string;
  received: RecordedSms[];
  /** Answers the next `n` requests with the given status, as a gateway in trouble would. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export interface SendsmsRecorderOptions {
  /** called with each reply once it is recorded, and awaited before it is answered (to stop the sender's process meanwhile, say) */
  beforeAnswer?: (sms: RecordedSms) => void | Promise<void>;
}

/**
 * An HTTP endpoint speaking Kannel's sendsms protocol that records what it is
 * sent. For tests of retry behaviour; the end-to-end tests use real Kannel.
 */
export async function startSendsmsRecorder(options: SendsmsRecorderOptions = {}): Promise<SendsmsRecorder> {
  const received: RecordedSms[] = [];
  let failures = 0;
  let failStatus = 503;
  const server: Server = createServer((req, res) => {
    if (failures > 0) {
      failures--;
      res.writeHead(failStatus).end('Temporarily unavailable');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sms = { params: Object.fromEntries(url.searchParams) };
    received.push(sms);
    void Promise.resolve(options.beforeAnswer?.(sms))
      .catch(() => undefined)
      .then(() => res.writeHead(202).end('0: Accepted for delivery'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/cgi-bin/sendsms`,
    received,
    failNext: (n, status = 503) => {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
