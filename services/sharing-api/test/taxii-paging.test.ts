import { uniqueSuffix } from '@srs/testkit';
import { CONSORTIUM_COLLECTION_ID } from '../src/taxii/collections';
import { startTaxii, writeCampaign, writeIndicator, type TaxiiHarness } from './taxii-harness';

const COLLECTION = `/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}`;

interface Seen {
  id: string;
  dateAdded?: string;
  confidence?: number;
}

/**
 * The client side of TAXII 2.1 pagination: ask with `limit`, follow `next`
 * while `more` is true; once caught up, ask again later with `added_after` set
 * to the X-TAXII-Date-Added-Last of the last page.
 */
async function syncOnce(t: TaxiiHarness, resource: 'objects' | 'manifest', limit: number, addedAfter: string | undefined, seen: Seen[]) {
  let next: string | undefined;
  let last = addedAfter;
  let previousLast: string | undefined;
  for (;;) {
    const res = await t.get(
      `${COLLECTION}/${resource}/?limit=${limit}${addedAfter ? `&added_after=${addedAfter}` : ''}${next ? `&next=${next}` : ''}`,
    );
    expect(res.status).toBe(200);
    const items = (res.body.objects ?? []) as Array<{ id: string; date_added?: string; confidence?: number }>;
    expect(items.length).toBeLessThanOrEqual(limit);
    if (items.length > 0) {
      const first = res.headers['x-taxii-date-added-first'] as string;
      last = res.headers['x-taxii-date-added-last'] as string;
      // Pages never overlap: each starts after the previous one ended.
      if (previousLast) expect(first > previousLast).toBe(true);
      previousLast = last;
    }
    seen.push(
      ...items.map((i) => ({
        id: i.id,
        ...(i.date_added ? { dateAdded: i.date_added } : {}),
        ...(i.confidence !== undefined ? { confidence: i.confidence } : {}),
      })),
    );
    if (!res.body.more) return last;
    next = res.body.next as string;
  }
}

/** Writers change indicators (new ones and new versions) and add campaigns until told to stop (25 indicators each at least), as the analyser would. */
function startWriters(t: TaxiiHarness, run: string) {
  let writing = true;
  const writers = [0, 1, 2].map(async (w) => {
    for (let i = 0; (writing || i < 30) && i < 400; i++) {
      await writeIndicator(t.db.pool, `busy-${run}-${w}-${i % 25}.example`, { publishable: true, score: ((i * 7 + w) % 10) / 10 });
      if (i % 10 === 0) await writeCampaign(t.db.pool, `campaign ${run} ${w} ${i}`, 1, `pseudonym-${run}`);
    }
  });
  return async () => {
    writing = false;
    await Promise.all(writers);
  };
}

async function currentIndicators(t: TaxiiHarness, run: string) {
  const { rows } = await t.db.pool.query<{ stix_uuid: string; score: number; date_added: string }>(
    `SELECT stix_uuid::text, score, to_char(taxii_date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS date_added
       FROM indicators WHERE value LIKE $1`,
    [`busy-${run}-%`],
  );
  return rows.map((r) => ({ stixId: `indicator--${r.stix_uuid}`, confidence: Math.round(r.score * 100), dateAdded: r.date_added }));
}

describe('TAXII paging while the collection changes', () => {
  let t: TaxiiHarness;
  beforeAll(async () => {
    t = await startTaxii();
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a client following next, then added_after, every change once: none missed, none repeated', async () => {
    const run = uniqueSuffix();
    const seen: Seen[] = [];
    let last = await syncOnce(t, 'manifest', 1000, undefined, seen);
    const stop = startWriters(t, run);
    for (let round = 0; round < 25; round++) last = await syncOnce(t, 'manifest', 7, last, seen);
    await stop();
    await syncOnce(t, 'manifest', 7, last, seen);

    const keys = seen.map((s) => `${s.id} ${s.dateAdded}`);
    expect(new Set(keys).size).toBe(keys.length);
    const dates = seen.map((s) => s.dateAdded!);
    expect(dates.every((d, i) => i === 0 || d > dates[i - 1]!)).toBe(true);
    const current = await currentIndicators(t, run);
    expect(current.length).toBe(75);
    const lastSeen = new Map(seen.map((s) => [s.id, s.dateAdded]));
    // The last change the client saw of every indicator is its current state.
    for (const indicator of current) expect(lastSeen.get(indicator.stixId)).toBe(indicator.dateAdded);
  });

  it('ends a client that follows next over objects with the current version of everything written meanwhile', async () => {
    const run = uniqueSuffix();
    const seen: Seen[] = [];
    let last = await syncOnce(t, 'objects', 1000, undefined, seen);
    const stop = startWriters(t, run);
    for (let round = 0; round < 15; round++) last = await syncOnce(t, 'objects', 5, last, seen);
    await stop();
    await syncOnce(t, 'objects', 5, last, seen);

    const lastVersion = new Map(seen.map((s) => [s.id, s.confidence]));
    const current = await currentIndicators(t, run);
    expect(current.length).toBe(75);
    for (const indicator of current) expect(lastVersion.get(indicator.stixId)).toBe(indicator.confidence);
  });
});
