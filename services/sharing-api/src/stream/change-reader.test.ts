import type { CampaignChange, FeedRepository, IndicatorChange } from '@srs/db';
import { ChangeReader } from './change-reader';

const at = new Date('2026-01-01T00:00:00Z');
const ind = (seq: number) =>
  ({ seq: String(seq), id: `c${seq}`, type: 'domain', value: `${seq}.top`, category: 'smishing', updatedAt: at }) as IndicatorChange;
const camp = (seq: number) => ({ seq: String(seq), id: String(seq), category: 'smishing', updatedAt: at }) as CampaignChange;

/** A feed holding these sequence numbers, answering as FeedRepository does. */
function fakeFeed(indicators: number[], campaigns: number[]): FeedRepository {
  const page = <T>(seqs: number[], make: (s: number) => T, after: bigint, limit: number) => {
    const rows = seqs.filter((s) => BigInt(s) > after).slice(0, limit);
    return { rows: rows.map(make), lastSeq: rows.length ? BigInt(rows[rows.length - 1]!) : after };
  };
  return {
    indicators: async (f: { afterSeq: bigint; limit: number }) => page(indicators, ind, f.afterSeq, f.limit),
    campaigns: async (f: { afterSeq: bigint; limit: number }) => page(campaigns, camp, f.afterSeq, f.limit),
  } as unknown as FeedRepository;
}

describe('reading both feeds as one sequence', () => {
  const read = (feed: FeedRepository, head: number, afterSeq: bigint, limit = 10) =>
    new ChangeReader(feed, { changeHead: async () => BigInt(head) }, 3).read({
      afterSeq,
      viewer: 'demo-uk',
      kinds: ['indicator', 'campaign'],
      limit,
    });

  it('merges indicators and campaigns in sequence order', async () => {
    const r = await read(fakeFeed([1, 4, 5], [2, 3, 6]), 6, 0n);
    expect(r.changes.map((c) => `${c.kind[0]}${c.seq}`)).toEqual(['i1', 'c2', 'c3', 'i4', 'i5', 'c6']);
    expect([r.position, r.more]).toEqual([6n, false]);
  });

  it('stops at the head taken before reading, so a change committed meanwhile is read next time, in order', async () => {
    // 7 and 8 committed after the head was taken: one query saw 8 but the other may not have seen 7.
    const r = await read(fakeFeed([1, 8], [2, 7]), 2, 0n);
    expect(r.changes.map((c) => Number(c.seq))).toEqual([1, 2]);
    expect(r.position).toBe(2n);
  });

  it('stops at the end of the shorter full page and says more are waiting', async () => {
    const r = await read(fakeFeed([1, 2, 3, 4], [5, 6]), 6, 0n, 2);
    expect(r.changes.map((c) => Number(c.seq))).toEqual([1, 2]);
    expect([r.position, r.more]).toEqual([2n, true]);
    const next = await read(fakeFeed([1, 2, 3, 4], [5, 6]), 6, r.position, 2);
    expect(next.changes.map((c) => Number(c.seq))).toEqual([3, 4]);
  });

  it('reads nothing while the head has not moved', async () => {
    const feed = fakeFeed([1], []);
    const spy = jest.spyOn(feed, 'indicators');
    expect(await read(feed, 1, 1n)).toEqual({ changes: [], position: 1n, more: false });
    expect(spy).not.toHaveBeenCalled();
  });
});
