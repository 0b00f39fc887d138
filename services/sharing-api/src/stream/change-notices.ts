import { NOTIFY_CHANNELS, PgListener, type Notice } from '@srs/db';
import { Gauge, type Registry } from '@srs/http';
import type { Logger } from '@srs/logging';

interface Waiter {
  afterSeq: bigint;
  wake: () => void;
}

/**
 * Committed feed changes as this process hears of them (NOTIFY srs_changes,
 * sent at the commit of every transaction that took `change_seq` values), on
 * the process's one listening connection, shared by every open stream and the
 * webhook dispatcher: they wait here instead of polling. Without a listener,
 * or while it is reconnecting, a wait is simply the poll interval; once it
 * listens again, every waiter wakes, since what was sent meanwhile is gone.
 */
export class ChangeNotices {
  private readonly waiters = new Set<Waiter>();
  private readonly unsubscribe: (() => void) | undefined;
  private heardCount = 0;
  private closed = false;

  constructor(listener?: Pick<PgListener, 'subscribe'>) {
    this.unsubscribe = listener?.subscribe(NOTIFY_CHANNELS.changes, (notice) => this.heard(notice));
  }

  /** Taken before a read: a wait given it returns at once when anything was heard since, so no change committed during the read waits for the poll. */
  mark(): number {
    return this.heardCount;
  }

  /**
   * Resolves when a change past `afterSeq` commits (any change when it is not
   * given), when anything was heard since `mark`, after `ms` (the fallback
   * poll), or when `signal` aborts or the notices are closed.
   */
  wait(options: { mark: number; afterSeq?: bigint; ms: number; signal?: AbortSignal }): Promise<void> {
    const { signal } = options;
    if (this.closed || signal?.aborted || this.heardCount !== options.mark) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = { afterSeq: options.afterSeq ?? -1n, wake: () => done() };
      const timer = setTimeout(() => done(), options.ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Open waits: one per open stream waiting, and the dispatcher's. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Ends every wait and stops hearing. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  private heard(notice: Notice): void {
    this.heardCount++;
    // The payload is the sequence at the change's commit; no payload (listening again): anything may have changed.
    const seq = notice !== undefined && /^\d+$/.test(notice) ? BigInt(notice) : undefined;
    for (const waiter of [...this.waiters]) if (seq === undefined || seq > waiter.afterSeq) waiter.wake();
  }
}

/** The process's listener on srs_changes and the notices it feeds; closed at shutdown, after the streams and the dispatcher. */
export interface ChangeListener {
  changes: ChangeNotices;
  listener: PgListener;
  close(): Promise<void>;
}

/** Opens the process's one listening connection for committed changes (reconnecting with backoff when it drops). */
export function listenForChanges(deps: { databaseUrl: string; logger: Logger; metrics?: Registry }): ChangeListener {
  const listening = deps.metrics
    ? new Gauge({
        name: 'srs_change_notifications_listening',
        help: '1 while this process listens for committed feed changes (LISTEN srs_changes); at 0, streams and webhooks only poll',
        registers: [deps.metrics],
      })
    : undefined;
  const listener = new PgListener({
    url: deps.databaseUrl,
    channels: [NOTIFY_CHANNELS.changes],
    applicationName: 'srs-sharing-api-listener',
    onError: (err, retryInMs) =>
      deps.logger.warn({ err, retryInMs }, 'change notifications lost; listening again (streams and webhooks poll meanwhile)'),
    onListening: (on) => listening?.set(on ? 1 : 0),
  });
  listening?.set(0);
  const changes = new ChangeNotices(listener);
  listener.start();
  return {
    changes,
    listener,
    close: async () => {
      changes.close();
      await listener.close();
    },
  };
}
