import type { CampaignChange, FeedRepository, IndicatorChange } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';
import { serialiseCampaign, serialiseIndicator } from '../feed/serialise';

export type ChangeKind = 'indicator' | 'campaign';

/** The event type a change is sent as, on the stream and to webhooks. */
export const EVENT_TYPES = { indicator: 'indicator.changed', campaign: 'campaign.changed' } as const;
export type EventType = (typeof EVENT_TYPES)[ChangeKind];

export type Change = { kind: 'indicator'; seq: bigint; row: IndicatorChange } | { kind: 'campaign'; seq: bigint; row: CampaignChange };

export interface ChangeRead {
  /** both feeds' changes after the position, in sequence order */
  changes: Change[];
  /** where the next read starts: everything up to here has been read */
  position: bigint;
  /** more changes are waiting beyond `position` */
  more: boolean;
}

export interface ReadOptions {
  afterSeq: bigint;
  /** the operator reading: it alone sees its own TLP:RED indicators */
  viewer: string;
  kinds: readonly ChangeKind[];
  limit: number;
}

/**
 * Reads the indicator and campaign feeds as one sequence of changes.
 *
 * The two feeds are two queries, so a change committed between them could be
 * seen in one and not yet in the other. Reading stops at the change head taken
 * before both queries: every change up to it was committed before either
 * query ran (see FEED_WRITE_LOCK), so both saw all of them, and nothing up to
 * the returned position is ever missed.
 */
export class ChangeReader {
  constructor(
    private readonly feed: FeedRepository,
    private readonly headSource: { changeHead(): Promise<bigint> },
    private readonly sampleMinReporters: number,
  ) {}

  /** The position of the newest change: a reader starting here sees only what comes next. */
  head(): Promise<bigint> {
    return this.headSource.changeHead();
  }

  async read(options: ReadOptions): Promise<ChangeRead> {
    const head = await this.headSource.changeHead();
    if (head <= options.afterSeq) return { changes: [], position: options.afterSeq, more: false };
    const [indicators, campaigns] = await Promise.all([
      options.kinds.includes('indicator')
        ? this.feed.indicators({ afterSeq: options.afterSeq, viewer: options.viewer, limit: options.limit })
        : undefined,
      options.kinds.includes('campaign')
        ? this.feed.campaigns({ afterSeq: options.afterSeq, limit: options.limit, sampleMinReporters: this.sampleMinReporters })
        : undefined,
    ]);
    // A full page may stop short of the head: read no further than the shorter of them.
    let position = head;
    let more = false;
    for (const page of [indicators, campaigns]) {
      if (page && page.rows.length >= options.limit) {
        if (page.lastSeq < position) position = page.lastSeq;
        more = true;
      }
    }
    const changes: Change[] = [
      ...(indicators?.rows ?? []).map((row) => ({ kind: 'indicator' as const, seq: BigInt(row.seq), row })),
      ...(campaigns?.rows ?? []).map((row) => ({ kind: 'campaign' as const, seq: BigInt(row.seq), row })),
    ]
      .filter((c) => c.seq <= position)
      .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    return { changes, position, more };
  }
}

/** The JSON a change is sent as: the same object the feed pages hold. */
export function changeJson(change: Change, ids: SealedIds): ReturnType<typeof serialiseIndicator> | ReturnType<typeof serialiseCampaign> {
  return change.kind === 'indicator' ? serialiseIndicator(change.row, ids) : serialiseCampaign(change.row, ids);
}
