import pg from 'pg';

/**
 * The channels the services wake each other on. Each NOTIFY is sent inside the
 * transaction that wrote, so PostgreSQL delivers it at commit (and never for a
 * rollback): a listener reading after a notification sees what it announced.
 */
export const NOTIFY_CHANNELS = {
  /** reports were stored, or given their sender: the analyser has work (no payload) */
  reports: 'srs_reports',
  /** a transaction that took `change_seq` values committed (payload: the sequence's value at commit) */
  changes: 'srs_changes',
} as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[keyof typeof NOTIFY_CHANNELS];

/**
 * What a subscriber hears: a notification's payload, or `undefined` when the
 * listener has just started listening (at first, or again after a lost
 * connection), so anything sent before may have been missed: look now.
 */
export type Notice = string | undefined;

export interface PgListenerOptions {
  url: string;
  /** the channels listened on for as long as the listener runs */
  channels: readonly NotifyChannel[];
  applicationName?: string;
  /** the first reconnection's delay, doubled after each failure up to maxBackoffMs */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** how often the connection is checked (a `SELECT 1`), so one that died silently is replaced */
  checkMs?: number;
  /** told of each lost connection or failed attempt; the listener goes on trying */
  onError?: (err: unknown, retryInMs: number) => void;
  /** told when it is listening (true) and when it stops (false) */
  onListening?: (listening: boolean) => void;
}

/**
 * One dedicated connection per process that LISTENs on named channels and
 * hands each notification to the process's subscribers (every open stream,
 * the dispatcher, the analyser), so they wake on a commit instead of polling
 * for it. A lost connection is opened again with backoff; since notifications
 * sent meanwhile are gone, subscribers then hear `undefined` and look anyway.
 * Polling stays the callers' fallback: the listener makes them early, never
 * correct.
 */
export class PgListener {
  private readonly subscribers = new Map<string, Set<(notice: Notice) => void>>();
  private client: pg.Client | undefined;
  private started = false;
  private closed = false;
  private listening = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(private readonly options: PgListenerOptions) {
    for (const channel of options.channels) this.subscribers.set(channel, new Set());
  }

  /** Starts connecting in the background; returns at once. */
  start(): this {
    if (this.started || this.closed) return this;
    this.started = true;
    void this.connect();
    return this;
  }

  /** Calls `fn` with each notification on the channel (and `undefined` on each start of listening); returns the unsubscribe. */
  subscribe(channel: NotifyChannel, fn: (notice: Notice) => void): () => void {
    const set = this.subscribers.get(channel);
    if (!set) throw new Error(`the listener does not listen on ${channel}`);
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Whether notifications arrive now. */
  get isListening(): boolean {
    return this.listening;
  }

  /** Resolves once it listens (at once when it does); rejects when the listener is closed first. */
  ready(): Promise<void> {
    if (this.listening) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('listener closed'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The backend process id of its connection (tests terminate it to see it reconnect). */
  async backendPid(): Promise<number | undefined> {
    const client = this.client;
    if (!client || !this.listening) return undefined;
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.checkTimer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('listener closed'));
    this.setListening(false);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'srs-listener',
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    this.client = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('listener connection ended')));
    client.on('notification', (msg) => {
      if (client === this.client) this.emit(msg.channel, msg.payload);
    });
    try {
      await client.connect();
      await client.query(this.options.channels.map((channel) => `LISTEN ${pg.escapeIdentifier(channel)}`).join('; '));
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (client !== this.client) return;
    this.failures = 0;
    this.setListening(true);
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
    // Whatever was sent before this connection listened was not heard.
    for (const channel of this.options.channels) this.emit(channel, undefined);
    const checkMs = this.options.checkMs ?? 30_000;
    this.checkTimer = setInterval(() => {
      client.query('SELECT 1').catch((err: unknown) => this.lost(client, err));
    }, checkMs);
    this.checkTimer.unref();
  }

  /** Drops a connection (once, however many of its events report it) and opens another after the backoff. */
  private lost(client: pg.Client, err: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    clearInterval(this.checkTimer);
    this.setListening(false);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.closed) return;
    const min = this.options.minBackoffMs ?? 100;
    const delay = Math.min(this.options.maxBackoffMs ?? 10_000, min * 2 ** this.failures);
    this.failures++;
    this.options.onError?.(err, delay);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private setListening(listening: boolean): void {
    if (this.listening === listening) return;
    this.listening = listening;
    this.options.onListening?.(listening);
  }

  private emit(channel: string, notice: Notice): void {
    for (const fn of this.subscribers.get(channel) ?? []) {
      try {
        fn(notice);
      } catch {
        // A subscriber's failure is its own; the others still hear.
      }
    }
  }
}
