import { connect, createServer, type Server, type Socket } from 'node:net';
import { sleep } from './util';

/**
 * A TCP proxy in front of PostgreSQL that the soak can cut: the services reach
 * the database only through it, so an outage is simulated without touching the
 * machine's PostgreSQL. While cut, nothing listens on the port (new connections
 * are refused, as when the server is down) and every open connection has been
 * dropped.
 */
export class PgProxy {
  private server: Server | undefined;
  /** open connections: the service's socket and ours to PostgreSQL */
  private readonly open = new Set<{ client: Socket; upstream: Socket }>();
  /** connections accepted so far */
  connections = 0;

  constructor(
    readonly port: number,
    private readonly upstream: { host: string; port: number },
  ) {}

  /** The database URL as the services use it: the same URL with the proxy's host and port. */
  rewrite(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Refuses connections for `ms`: the listener is closed and every open connection dropped, then it listens again. */
  async cut(ms: number): Promise<{ dropped: number }> {
    const dropped = await this.stop();
    await sleep(ms);
    await this.start();
    return { dropped };
  }

  /** Closes the listener and drops every connection; resolves with how many connections were dropped. */
  async stop(): Promise<number> {
    const server = this.server;
    this.server = undefined;
    const dropped = this.open.size;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const { client, upstream } of this.open) {
      client.destroy();
      upstream.destroy();
    }
    this.open.clear();
    await closed;
    return dropped;
  }

  private pipe(client: Socket): void {
    this.connections++;
    const upstream = connect(this.upstream.port, this.upstream.host);
    const pair = { client, upstream };
    this.open.add(pair);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      // Either side closing closes both, as a real connection to the server would end.
      socket.on('close', () => {
        this.open.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
