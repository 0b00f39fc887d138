/**
 * The inbox is split into partitions by subscriber: one subscriber's messages
 * always land in the same partition, in arrival order, and one worker at a
 * time owns a partition. Every key of a partition carries its hash tag, so on
 * a Redis Cluster they share a slot and each script may touch them all; the
 * partitions spread over the masters.
 */
export const DEFAULT_INBOX_PARTITIONS = 16;

/** The partition of a subscriber, from their pseudonym (an HMAC, so evenly spread). */
export function partitionOf(pseudonym: string, partitions: number): number {
  const bytes = Buffer.from(pseudonym.slice(0, 8), 'base64url');
  return bytes.readUInt32BE(0) % partitions;
}

export class InboxKeys {
  private readonly base: string;
  constructor(
    prefix: string,
    readonly partition: number,
  ) {
    this.base = `${prefix}:{inbox-${partition}}`;
  }
  /** the messages not yet decided, oldest first */
  get stream(): string {
    return `${this.base}:stream`;
  }
  /** the worker that owns the partition, with a lease */
  get owner(): string {
    return `${this.base}:owner`;
  }
  /** open sender windows, scored by when they close */
  get timers(): string {
    return `${this.base}:timers`;
  }
  /** messages that could not be decided after many attempts, kept for an operator to look at */
  get dead(): string {
    return `${this.base}:dead`;
  }
  seen(messageKey: string): string {
    return `${this.base}:seen:${messageKey}`;
  }
  conversation(pseudonym: string): string {
    return `${this.base}:conv:${pseudonym}`;
  }
  /** STOP, kept until START, past the conversation's expiry */
  optOut(pseudonym: string): string {
    return `${this.base}:optout:${pseudonym}`;
  }
}
