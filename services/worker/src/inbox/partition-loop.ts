import type { Logger } from '@srs/logging';
import type { InboxPartition, InboxRecord, PartitionCommit, RedisClient } from '@srs/queue';
import type { BatchOutcome } from './decide-batch';
import { readTimerMember, type TimerMember } from './stored-conversation';

export interface PartitionLoopDeps {
  partition: InboxPartition;
  /** a connection of this loop's own: it blocks waiting for messages */
  reader: RedisClient;
  /** this worker's lease token */
  token: string;
  logger: Logger;
  decide(records: readonly InboxRecord[], skip: (pseudonym: string) => boolean): Promise<BatchOutcome>;
  /** completes a report whose sender window closed; idempotent */
  timeout(timer: TimerMember): Promise<void>;
  /** the lease was lost (another worker owns the partition now): the loop has stopped */
  onLost(): void;
  /** a batch's decisions were committed: what each message was taken for */
  onCommitted?(outcomes: readonly string[]): void;
  /** messages read per batch */
  batchSize: number;
}

/** How long a read waits for a message before looking at the timers again. */
const BLOCK_MS = 1000;
/**
 * A sender window is swept only this long after it closed: every message the
 * subscriber sent before it closed is in the inbox by then, and is decided
 * first (the loop reads the stream before the timers).
 */
const TIMER_MARGIN_MS = 2000;
/** A message that keeps failing is retried with backoff, then set aside in the dead-letter stream. */
const MAX_ATTEMPTS = 12;
const backoffMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 60_000);

interface Blocked {
  attempts: number;
  retryAt: number;
  /** the message that failed, to set aside after MAX_ATTEMPTS */
  id: string;
}

/**
 * One partition of the inbox, decided by its owner: read the next messages,
 * decide them, commit, then sweep the sender windows that closed. A subscriber
 * whose message failed is held back (their later messages wait behind it)
 * while the partition's other subscribers go on.
 */
export class PartitionLoop {
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly blocked = new Map<string, Blocked>();
  /** read from the oldest message again: one held back was set aside, and those behind it were skipped */
  private rewind = false;

  constructor(private readonly deps: PartitionLoopDeps) {}

  start(): void {
    this.running ??= this.run().catch((err: unknown) => {
      this.deps.logger.error({ err, partition: this.deps.partition.keys.partition }, 'inbox partition loop stopped');
      this.deps.onLost();
    });
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async run(): Promise<void> {
    const { partition, reader, batchSize } = this.deps;
    let after = '0-0';
    /** when the pass from the oldest message now under way began; undefined when none is */
    let scanFrom: number | undefined;
    while (!this.stopping) {
      const now = Date.now();
      // One pass from the oldest message at a time, read to the end before another starts.
      if (scanFrom === undefined && (this.rewind || this.retryDue(now))) {
        after = '0-0';
        scanFrom = now;
      }
      this.rewind = false;
      let records: InboxRecord[];
      try {
        records = await partition.read(reader, after, batchSize, this.blockMs(now));
      } catch (err) {
        if (this.stopping) return;
        this.deps.logger.warn({ err, partition: partition.keys.partition }, 'could not read the inbox; retrying');
        await sleep(1000);
        continue;
      }
      if (records.length > 0) {
        if (!(await this.decide(records))) return;
        after = records[records.length - 1]!.id;
      }
      if (scanFrom !== undefined && records.length < batchSize) {
        this.forgetUnseen(scanFrom);
        scanFrom = undefined;
      }
      if (!(await this.sweepTimers())) return;
    }
  }

  private retryDue(now: number): boolean {
    for (const b of this.blocked.values()) if (b.retryAt <= now && b.attempts > 0) return true;
    return false;
  }

  /**
   * After a whole pass: a subscriber still held back with a retry due before the
   * pass began had no message left in the stream (decided or set aside): nothing to wait for.
   */
  private forgetUnseen(scanFrom: number): void {
    for (const [pseudonym, b] of this.blocked) if (b.retryAt <= scanFrom) this.blocked.delete(pseudonym);
  }

  private blockMs(now: number): number {
    let wait = BLOCK_MS;
    for (const b of this.blocked.values()) wait = Math.min(wait, Math.max(1, b.retryAt - now));
    return wait;
  }

  /** false when the lease was lost. */
  private async decide(records: readonly InboxRecord[]): Promise<boolean> {
    const now = Date.now();
    const outcome = await this.deps.decide(records, (p) => (this.blocked.get(p)?.retryAt ?? 0) > now);
    for (const pseudonym of outcome.succeeded) this.blocked.delete(pseudonym);
    for (const [pseudonym, { record, error }] of outcome.failed) {
      const before = this.blocked.get(pseudonym);
      const attempts = before && before.id === record.id ? before.attempts + 1 : 1;
      if (attempts >= MAX_ATTEMPTS) {
        outcome.commit.dead.push({ record, reason: String((error as Error)?.message ?? error).slice(0, 500) });
        this.blocked.delete(pseudonym);
        this.rewind = true;
        this.deps.logger.error({ err: error, partition: this.deps.partition.keys.partition, id: record.id }, 'inbox message set aside');
      } else {
        this.blocked.set(pseudonym, { attempts, retryAt: Date.now() + backoffMs(attempts), id: record.id });
        this.deps.logger.warn({ err: error, partition: this.deps.partition.keys.partition, attempts }, 'inbox message failed; will retry');
      }
    }
    const committed = await this.commit(outcome.commit);
    if (committed) this.deps.onCommitted?.(outcome.outcomes);
    return committed;
  }

  /** Completes the reports whose sender windows closed; a subscriber held back keeps theirs until their messages are decided. */
  private async sweepTimers(): Promise<boolean> {
    const due = await this.deps.partition.dueTimers(Date.now() - TIMER_MARGIN_MS, this.deps.batchSize).catch(() => []);
    if (due.length === 0) return true;
    const done: string[] = [];
    await Promise.all(
      due.map(async ({ member }) => {
        const timer = readTimerMember(member);
        if (timer && this.blocked.has(timer.pseudonym)) return;
        try {
          if (timer) await this.deps.timeout(timer);
          done.push(member);
        } catch (err) {
          this.deps.logger.warn({ err, partition: this.deps.partition.keys.partition }, 'sender window could not be closed; will retry');
        }
      }),
    );
    return this.commit({ decided: [], conversations: [], timersAdded: [], timersDone: done, dead: [] });
  }

  private async commit(commit: PartitionCommit): Promise<boolean> {
    const empty =
      commit.decided.length + commit.conversations.length + commit.timersAdded.length + commit.timersDone.length + commit.dead.length === 0;
    if (empty) return true;
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.deps.partition.commit(this.deps.token, commit)) return true;
        // Another worker holds the partition now and decides these messages again: nothing was written.
        this.deps.logger.warn({ partition: this.deps.partition.keys.partition }, 'inbox partition lease lost');
        this.deps.onLost();
        return false;
      } catch (err) {
        // Redis away: the steps are done; committing late is safe, deciding again would be too.
        if (this.stopping && attempt > 5) throw err;
        this.deps.logger.warn({ err, partition: this.deps.partition.keys.partition }, 'could not commit to the inbox; retrying');
        await sleep(Math.min(200 * attempt, 2000));
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
