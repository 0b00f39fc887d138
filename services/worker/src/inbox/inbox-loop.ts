import type { Logger } from '@srs/logging';
import type { InboxReader, InboxRecord } from '@srs/queue';
import type { OwnedPartition } from './owned-partition';

export interface InboxLoopDeps {
  reader: InboxReader;
  logger: Logger;
  /** messages read per partition a round */
  batchSize: number;
  /** a partition's lease was lost (another worker may own it now) or its round failed: this loop no longer decides it */
  lost(partition: number): void;
}

/** How long a read waits for a message before looking at the sender windows again. */
const BLOCK_MS = 250;

/**
 * One loop over every partition this worker owns: a round reads the next
 * messages of all of them at once, decides each partition's side by side,
 * commits them and sweeps their sender windows. At a low rate a round holds a
 * message or two from several partitions, and pays for its Redis round trips
 * once, not once a partition.
 */
export class InboxLoop {
  private readonly owned = new Map<number, OwnedPartition>();
  private stopping = false;
  private running: Promise<void> | undefined;
  /** the partitions' rounds under way, awaited by whoever takes a partition away */
  private deciding: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: InboxLoopDeps) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** The partition is decided from the next round on. */
  add(partition: OwnedPartition): void {
    if (this.owned.has(partition.number)) throw new Error(`partition ${partition.number} is in the loop already`);
    this.owned.set(partition.number, partition);
    this.running ??= this.run();
  }

  /** The partition is decided no more: resolves once a round deciding it has finished. */
  async remove(partition: number): Promise<void> {
    if (!this.owned.delete(partition)) return;
    this.deps.reader.forget(partition);
    await this.deciding;
  }

  /** Finishes the round in hand and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.deps.reader.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const now = Date.now();
      const members = [...this.owned.values()];
      const cursors = new Map(members.map((m) => [m.number, m.cursor(now)]));
      const blockMs = members.reduce((wait, m) => m.blockMs(now, wait), BLOCK_MS);
      let read: Map<number, InboxRecord[]>;
      try {
        read = await this.deps.reader.read(cursors, this.deps.batchSize, blockMs);
      } catch (err) {
        if (this.stopping) return;
        this.deps.logger.warn({ err }, 'could not read the inbox; retrying');
        await sleep(1000);
        continue;
      }
      this.deciding = Promise.all(members.map((m) => this.round(m, read.get(m.number) ?? [])));
      await this.deciding;
    }
  }

  private async round(member: OwnedPartition, records: readonly InboxRecord[]): Promise<void> {
    // Taken away while the read waited: what was read of it stays in the stream for its next owner.
    if (this.owned.get(member.number) !== member) return;
    let ours: boolean;
    try {
      ours = await member.round(records);
    } catch (err) {
      this.deps.logger.error({ err, partition: member.number }, 'inbox partition round failed');
      ours = false;
    }
    if (ours || this.owned.get(member.number) !== member) return;
    this.owned.delete(member.number);
    this.deps.reader.forget(member.number);
    this.deps.lost(member.number);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
