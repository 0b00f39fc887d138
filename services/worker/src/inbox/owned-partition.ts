import type { Logger } from '@srs/logging';
import type { InboxPartition, InboxRecord, PartitionCommit } from '@srs/queue';
import type { BatchOutcome } from './decide-batch';
import { readTimerMember, type TimerMember } from './stored-conversation';

export interface OwnedPartitionDeps {
  partition: InboxPartition;
  /** this worker's lease token */
  token: string;
  logger: Logger;
  decide(records: readonly InboxRecord[], skip: (pseudonym: string) => boolean): Promise<BatchOutcome>;
  /** completes a report whose sender window closed; idempotent */
  timeout(timer: TimerMember): Promise<void>;
  /** a batch's decisions were committed: what each message was taken for */
  onCommitted?(outcomes: readonly string[]): void;
  /** messages read per batch */
  batchSize: number;
  /** refuses to go on: the worker is stopping (a commit Redis refuses is then given up after a few tries) */
  stopping(): boolean;
}

/**
 * A sender window is swept only this long after it closed: every message the
 * subscriber sent before it closed is in the inbox by then, and is decided
 * first (the loop reads the stream before the timers).
 */
const TIMER_MARGIN_MS = 2000;
/** The sender windows of a partition are looked at no more often than this: a window closes to within a fraction of its margin. */
const SWEEP_EVERY_MS = 200;
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
 * One partition a worker owns, as the inbox loop decides it a round at a
 * time: where its reading stands, and which subscribers are held back. A
 * subscriber whose message failed is held back (their later messages wait
 * behind it) while the partition's other subscribers go on.
 */
export class OwnedPartition {
  private readonly blocked = new Map<string, Blocked>();
  /** read from the oldest message again: one held back was set aside, and those behind it were skipped */
  private rewind = false;
  private after = '0-0';
  /** when the pass from the oldest message now under way began; undefined when none is */
  private scanFrom: number | undefined;
  private sweptAt = 0;

  constructor(private readonly deps: OwnedPartitionDeps) {}

  get number(): number {
    return this.deps.partition.keys.partition;
  }

  /** Where this round reads from. One pass from the oldest message at a time, read to the end before another starts. */
  cursor(now: number): string {
    if (this.scanFrom === undefined && (this.rewind || this.retryDue(now))) {
      this.after = '0-0';
      this.scanFrom = now;
    }
    this.rewind = false;
    return this.after;
  }

  /** How long this partition lets a read wait: until its first retry falls due. */
  blockMs(now: number, longest: number): number {
    let wait = longest;
    for (const b of this.blocked.values()) wait = Math.min(wait, Math.max(1, b.retryAt - now));
    return wait;
  }

  /** Decides and commits what the round read, then closes the sender windows due. False when the lease was lost. */
  async round(records: readonly InboxRecord[]): Promise<boolean> {
    if (records.length > 0) {
      if (!(await this.decide(records))) return false;
      this.after = records[records.length - 1]!.id;
    }
    if (this.scanFrom !== undefined && records.length < this.deps.batchSize) {
      this.forgetUnseen(this.scanFrom);
      this.scanFrom = undefined;
    }
    const now = Date.now();
    if (now - this.sweptAt < SWEEP_EVERY_MS) return true;
    this.sweptAt = now;
    return this.sweepTimers(now);
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
        this.deps.logger.error({ err: error, partition: this.number, id: record.id }, 'inbox message set aside');
      } else {
        this.blocked.set(pseudonym, { attempts, retryAt: Date.now() + backoffMs(attempts), id: record.id });
        this.deps.logger.warn({ err: error, partition: this.number, attempts }, 'inbox message failed; will retry');
      }
    }
    const committed = await this.commit(outcome.commit);
    if (committed) this.deps.onCommitted?.(outcome.outcomes);
    return committed;
  }

  /** Completes the reports whose sender windows closed; a subscriber held back keeps theirs until their messages are decided. */
  private async sweepTimers(now: number): Promise<boolean> {
    const due = await this.deps.partition.dueTimers(now - TIMER_MARGIN_MS, this.deps.batchSize).catch(() => []);
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
          this.deps.logger.warn({ err, partition: this.number }, 'sender window could not be closed; will retry');
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
        this.deps.logger.warn({ partition: this.number }, 'inbox partition lease lost');
        return false;
      } catch (err) {
        // Redis away: the steps are done; committing late is safe, deciding again would be too.
        if (this.deps.stopping() && attempt > 5) throw err;
        this.deps.logger.warn({ err, partition: this.number }, 'could not commit to the inbox; retrying');
        await sleep(Math.min(200 * attempt, 2000));
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
