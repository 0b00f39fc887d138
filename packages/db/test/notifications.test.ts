import { createTestDatabase, testReport, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { inFeedTransaction, NOTIFY_CHANNELS, PgListener, ReportsRepository, type Notice, type NotifyChannel } from '../src';

/**
 * What a listener heard, in order, and a way to wait (no clock: the test's own
 * timeout bounds it) until a marker sent after the writes arrives. PostgreSQL
 * delivers notifications in commit order, so everything the writes sent has
 * been heard by then, and counting it says "once per transaction".
 */
function record(listener: PgListener, channel: NotifyChannel) {
  const notices: Notice[] = [];
  let check: (() => void) | undefined;
  listener.subscribe(channel, (notice) => {
    notices.push(notice);
    check?.();
  });
  return {
    notices,
    until(done: (notices: Notice[]) => boolean): Promise<void> {
      return new Promise((resolve) => {
        check = () => {
          if (!done(notices)) return;
          check = undefined;
          resolve();
        };
        check();
      });
    },
  };
}

describe('LISTEN/NOTIFY: stored reports and committed feed changes wake listeners', () => {
  let db: TestDatabase;
  let listener: PgListener;
  let reports: ReturnType<typeof record>;
  let changes: ReturnType<typeof record>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = new PgListener({
      url: db.url,
      channels: [NOTIFY_CHANNELS.reports, NOTIFY_CHANNELS.changes],
      minBackoffMs: 10,
      onError: (err) => errors.push(err),
    });
    reports = record(listener, NOTIFY_CHANNELS.reports);
    changes = record(listener, NOTIFY_CHANNELS.changes);
    listener.start();
    await listener.ready();
  });
  afterAll(async () => {
    await listener.close();
    await db.drop();
  });

  /** Sends a marker on the channel from another connection and waits until the listener hears it; returns what came before it since `from`. */
  async function heardBefore(recorder: ReturnType<typeof record>, channel: NotifyChannel, from: number): Promise<Notice[]> {
    const marker = `marker-${uniqueSuffix()}`;
    await db.pool.query('SELECT pg_notify($1, $2)', [channel, marker]);
    await recorder.until((n) => n.includes(marker));
    return recorder.notices.slice(from, recorder.notices.indexOf(marker));
  }

  /** Where the notices of what follows start: everything sent so far has been heard. */
  async function sync(recorder: ReturnType<typeof record>, channel: NotifyChannel): Promise<number> {
    await heardBefore(recorder, channel, 0);
    return recorder.notices.length;
  }

  it('hears `undefined` when it starts listening, so a subscriber looks once for what it may have missed', () => {
    expect(reports.notices[0]).toBeUndefined();
    expect(changes.notices[0]).toBeUndefined();
  });

  it('notifies srs_reports once per stored batch, and not for a batch that stored nothing new', async () => {
    const repo = new ReportsRepository(db.pool);
    const from = await sync(reports, NOTIFY_CHANNELS.reports);
    const batch = [1, 2, 3].map(() => testReport({ gatewayMessageId: `n-${uniqueSuffix()}` }));
    await repo.insertManyOnce(batch);
    // The same messages again: nothing is stored, nothing is announced.
    const again = await repo.insertManyOnce(batch);
    expect(again.map((r) => r.created)).toEqual([false, false, false]);
    expect(await heardBefore(reports, NOTIFY_CHANNELS.reports, from)).toEqual(['']);
  });

  it('notifies srs_reports when a report waiting for its sender gets it (the analyser takes it again)', async () => {
    const repo = new ReportsRepository(db.pool);
    const waiting = testReport({ gatewayMessageId: `w-${uniqueSuffix()}`, sender: undefined });
    const { row } = await repo.insertOnce(waiting);
    expect(row.awaitingSender).toBe(true);
    const from = await sync(reports, NOTIFY_CHANNELS.reports);
    const attached = await repo.attachSender(waiting, { kind: 'alphanumeric', value: 'SHOP', display: 'SHOP' });
    expect(attached?.senderValue).toBe('SHOP');
    // Attached already: no update, no notification.
    await repo.attachSender(waiting, { kind: 'alphanumeric', value: 'SHOP', display: 'SHOP' });
    expect(await heardBefore(reports, NOTIFY_CHANNELS.reports, from)).toEqual(['']);
  });

  it('notifies srs_changes once per feed transaction, with the sequence at commit; none for a rollback or one that took no value', async () => {
    const from = await sync(changes, NOTIFY_CHANNELS.changes);
    const value = `notify-${uniqueSuffix()}.example`;
    const seqs = await inFeedTransaction(db.pool, async (client) => {
      const taken: string[] = [];
      for (const category of ['smishing', 'scam']) {
        const { rows } = await client.query<{ seq: string }>(
          `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
           VALUES ('domain', $1, $2, 0.9, now(), now(), 0.8, true, true, 3)
           ON CONFLICT (type, value) DO UPDATE SET category = EXCLUDED.category, seq = nextval('change_seq'), updated_at = now()
           RETURNING seq::text`,
          [value, category],
        );
        taken.push(rows[0]!.seq);
      }
      return taken;
    });
    await inFeedTransaction(db.pool, (client) => client.query('SELECT 1'));
    await expect(
      inFeedTransaction(db.pool, async (client) => {
        await client.query(`SELECT nextval('change_seq')`);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await heardBefore(changes, NOTIFY_CHANNELS.changes, from)).toEqual([seqs[1]]);
  });

  it('listens again after its connection is killed, says so, and still hears what comes next', async () => {
    const pid = await listener.backendPid();
    expect(pid).toBeDefined();
    const from = await sync(changes, NOTIFY_CHANNELS.changes);
    const relistened = changes.until((n) => n.slice(from).includes(undefined));
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await relistened;
    await listener.ready();
    expect(await listener.backendPid()).not.toBe(pid);
    expect(errors.length).toBeGreaterThan(0);

    const value = `after-${uniqueSuffix()}.example`;
    const seq = await inFeedTransaction(db.pool, async (client) => {
      const { rows } = await client.query<{ seq: string }>(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.8, true, true, 3) RETURNING seq::text`,
        [value],
      );
      return rows[0]!.seq;
    });
    await changes.until((n) => n.includes(seq));
  });

  it('closes cleanly: no reconnection, and ready() refuses', async () => {
    const other = new PgListener({ url: db.url, channels: [NOTIFY_CHANNELS.changes] }).start();
    await other.ready();
    await other.close();
    expect(other.isListening).toBe(false);
    await expect(other.ready()).rejects.toThrow('listener closed');
    // Its backend goes (the server notices the end a moment after the client); only the first listener's connection is left.
    for (;;) {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'srs-listener'`,
      );
      if (rows[0].n === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
