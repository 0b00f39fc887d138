import http from 'node:http';
import https from 'node:https';

/**
 * Kannel's sendsms takes one GET per reply, so at thousands of replies a
 * second the client's own cost counts: node's http with kept-alive sockets
 * costs a fraction of `fetch` per request (no WHATWG request, stream and
 * abort-signal objects). By default at most 64 sockets per host; a caller
 * that needs another bound passes an agent of its own.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * GETs `url`; resolves with the status and the first `maxBody` characters of
 * the body. A kept-alive connection the gateway closed just as the request
 * went out on it is not the gateway refusing: the request is sent once more,
 * on a fresh connection, as node's documentation advises.
 */
export function keepAliveGet(
  url: URL,
  timeoutMs: number,
  options: { maxBody?: number; agent?: http.Agent } = {},
  retried = false,
): Promise<{ status: number; body: string }> {
  const client = url.protocol === 'https:' ? https : http;
  const agent = options.agent ?? agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`cannot GET ${url.protocol} URLs`));
  const maxBody = options.maxBody ?? 200;
  return new Promise((resolve, reject) => {
    // The second try takes a connection of its own: the pool may hold more that the gateway closed.
    const request = client.get(url, { agent: retried ? false : agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < maxBody) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: body.slice(0, maxBody) }));
      response.on('error', reject);
    });
    giveUpWithoutAnswer(request, timeoutMs, url.host);
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (!retried && request.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up')) {
        resolve(keepAliveGet(url, timeoutMs, options, true));
      } else reject(err);
    });
  });
}

/**
 * Destroys `request` with a TimeoutError once the gateway has had `timeoutMs`
 * with the request and sent nothing back. Only time the process ran counts. A
 * process held up past the timeout (a machine too busy to run it, a long
 * pause) runs its due timers before it reads its sockets: the answer may have
 * come in time and wait unread, or the connection asked for before the stall
 * may only now be made and the request only now sent. Giving up then would
 * have the caller send again what the gateway took. So each verdict waits for
 * the turn's reads, and the wait starts again from any answer read or from a
 * request sent only now.
 */
function giveUpWithoutAnswer(request: http.ClientRequest, timeoutMs: number, host: string): void {
  let sentAt: number | undefined;
  let read = 0;
  let timer: NodeJS.Timeout | undefined;
  const wait = (ms: number) => {
    timer = setTimeout(() => setImmediate(verdict), ms);
  };
  const verdict = () => {
    if (request.destroyed) return;
    const nowRead = request.socket?.bytesRead ?? read;
    if (nowRead > read) {
      read = nowRead;
      return wait(timeoutMs);
    }
    // Still connecting: the gateway has not got the request, so giving up is safe.
    const waited = sentAt === undefined ? timeoutMs : Date.now() - sentAt;
    if (waited < timeoutMs) return wait(timeoutMs - waited);
    const timeout = new Error(`no answer from ${host} within ${timeoutMs} ms`);
    timeout.name = 'TimeoutError';
    (timeout as NodeJS.ErrnoException).code = 'TIMEOUT';
    request.destroy(timeout);
  };
  // The wait starts once the request has a connection (one from the pool, or one being made), as node's own timeout does.
  request.on('socket', (socket) => {
    read = socket.bytesRead;
    if (socket.connecting) socket.once('connect', () => (sentAt = Date.now()));
    else sentAt = Date.now();
    wait(timeoutMs);
  });
  request.on('close', () => clearTimeout(timer));
}
