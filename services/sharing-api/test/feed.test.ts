import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, type Pool } from '@srs/db';
import type { RunningServer } from '@srs/http';
import { listen } from '@srs/http';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { createRedis, type RedisClient } from '@srs/queue';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { sealedIds } from '../src/feed/sealed-ids';

/** Writes one indicator change the way every writer must: under the feed lock, taking the next sequence value. */
async function writeIndicator(pool: Pool, value: string, change: { publishable: boolean; score?: number; type?: string }) {
  await inFeedTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
       VALUES ($1, $2, 'smishing', 0.9, now(), now(), $3, $4, $4, 3)
       ON CONFLICT (type, value) DO UPDATE SET score = EXCLUDED.score, publishable = EXCLUDED.publishable,
         ever_published = indicators.ever_published OR EXCLUDED.publishable, seq = nextval('change_seq'), updated_at = now()`,
      [change.type ?? 'domain', value, change.score ?? 0.8, change.publishable],
    );
  });
}

interface Page {
  data: Array<{ id: string; seq: string; value: string; type: string; shared: boolean; confidence: number }>;
  next: string;
  has_more: boolean;
}

describe('sharing API change feed', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let readKey: string;
  let publishOnlyKey: string;
  let regulatorKey: string;
  const config = testConfig({ SHARE_TEXT_MIN_REPORTERS: '3' });
  /** `seq` is sealed; the test, holding the server's key, reads the position behind it */
  const seqOf = (sealed: string) => sealedIds(config.sharing.idKey).open('cursor', sealed)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = new ApiKeysRepository(db.pool);
    const make = async (owner: { operatorId?: string; regulatorId?: string }, scopes: Array<'read' | 'publish' | 'stats'>) => {
      const k = generateApiKey();
      await keys.create({ id: `key_${uniqueSuffix()}`, ...owner, name: 'test', prefix: k.prefix, hash: k.hash, scopes });
      return k.key;
    };
    readKey = await make({ operatorId: 'demo-fr' }, ['read']);
    publishOnlyKey = await make({ operatorId: 'demo-uk' }, ['publish']);
    regulatorKey = await make({ regulatorId: 'demo-regulator' }, ['read', 'stats']);
    redis = createRedis(config.redis.url, 'producer');
    server = await listen(
      createSharingApp({ config: testConfig({ DATABASE_URL: db.url }), logger: capturingLogger('sharing').logger, pool: db.pool, redis }),
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const get = (path: string, key = readKey) => request(server.url).get(path).set('authorization', `Bearer ${key}`);
  async function follow(path: string, limit: number, from?: string): Promise<{ items: Page['data']; next: string }> {
    const items: Page['data'] = [];
    let cursor = from;
    for (let i = 0; i < 10_000; i++) {
      const res = await get(`${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as Page;
      items.push(...page.data);
      cursor = page.next;
      if (!page.has_more) break;
    }
    return { items, next: cursor! };
  }

  it('refuses requests without a key, with a key lacking the read scope, or with a regulator key', async () => {
    const none = await request(server.url).get('/v1/indicators');
    const scoped = await get('/v1/indicators', publishOnlyKey);
    const regulator = await get('/v1/indicators', regulatorKey);
    expect([none.status, scoped.status, regulator.status]).toEqual([401, 403, 401]);
    for (const res of [none, scoped, regulator])
      expect(res.body.error).toMatchObject({ field: 'authorization', requestId: expect.any(String) });
  });

  it('serves every shared indicator once, in sequence order, and never one that was not shared', async () => {
    const run = uniqueSuffix();
    for (let i = 0; i < 120; i++) await writeIndicator(db.pool, `shared-${run}-${i}.top`, { publishable: true });
    for (let i = 0; i < 30; i++) await writeIndicator(db.pool, `quiet-${run}-${i}.top`, { publishable: false });
    const { items } = await follow('/v1/indicators', 25);
    const mine = items.filter((i) => i.value.includes(run));
    expect(mine.map((i) => i.value).sort()).toEqual(Array.from({ length: 120 }, (_, i) => `shared-${run}-${i}.top`).sort());
    const seqs = items.map((i) => seqOf(i.seq));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
  });

  it('shows a withdrawal as a change with shared: false', async () => {
    const value = `withdrawn-${uniqueSuffix()}.top`;
    await writeIndicator(db.pool, value, { publishable: true });
    const { next } = await follow('/v1/indicators', 1000);
    await writeIndicator(db.pool, value, { publishable: false, score: 0.1 });
    const after = await follow('/v1/indicators', 1000, next);
    expect(after.items.filter((i) => i.value === value)).toEqual([
      expect.objectContaining({ shared: false, confidence: expect.closeTo(0.1, 5) }),
    ]);
  });

  it('misses no change and repeats none while writes continue during paging', async () => {
    const run = uniqueSuffix();
    const start = (await follow('/v1/indicators', 1000)).next;
    let writing = true;
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = 0; writing || i < 40; i++) {
        await writeIndicator(db.pool, `busy-${run}-${w}-${i % 25}.top`, { publishable: true, score: (i % 10) / 10 });
        if (i > 400) break;
      }
    });
    const seen = new Map<string, bigint>();
    let cursor = start;
    let last = 0n;
    for (let round = 0; round < 200; round++) {
      const res = await get(`/v1/indicators?limit=7&cursor=${cursor}`);
      const page = res.body as Page;
      for (const item of page.data) {
        const seq = seqOf(item.seq);
        expect(seq).toBeGreaterThan(last);
        last = seq;
        seen.set(item.value, seq);
      }
      cursor = page.next;
      if (round === 60) writing = false;
      if (!writing && !page.has_more) break;
    }
    await Promise.all(writers);
    const rest = await follow('/v1/indicators', 1000, cursor);
    for (const item of rest.items) seen.set(item.value, seqOf(item.seq));
    const { rows } = await db.pool.query<{ value: string; seq: string }>(`SELECT value, seq::text FROM indicators WHERE value LIKE $1`, [
      `busy-${run}-%`,
    ]);
    expect(rows.length).toBe(75);
    // The last change the client saw of every indicator is its current state.
    for (const row of rows) expect(seen.get(row.value)).toBe(BigInt(row.seq));
  });

  it('filters by type and minimum confidence, and keeps the cursor moving past what it filters out', async () => {
    const run = uniqueSuffix();
    const { next } = await follow('/v1/indicators', 1000);
    await writeIndicator(db.pool, `low-${run}.top`, { publishable: true, score: 0.55 });
    await writeIndicator(db.pool, `high-${run}.top`, { publishable: true, score: 0.95 });
    await writeIndicator(db.pool, `+4420${run.replace(/\D/g, '').slice(0, 8).padEnd(8, '1')}`, { publishable: true, type: 'phone' });
    const res = await get(`/v1/indicators?type=domain&min_confidence=0.9&cursor=${next}`);
    expect(res.body.data.map((i: { value: string }) => i.value)).toEqual([`high-${run}.top`]);
    const again = await get(`/v1/indicators?type=domain&min_confidence=0.9&cursor=${res.body.next}`);
    expect(again.body.data).toEqual([]);
  });

  it('answers bad parameters with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/indicators?cursor=nonsense', 'cursor'],
      ['/v1/indicators?limit=5000', 'limit'],
      ['/v1/indicators?type=ip', 'type'],
      ['/v1/indicators?min_confidence=2', 'min_confidence'],
      ['/v1/campaigns?since=yesterday', 'since'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('shares a campaign sample text only once k distinct reporters reported it, and never a reporter', async () => {
    const insert = async (reporters: number, text: string) => {
      await inFeedTransaction(db.pool, async (client) => {
        const { rows } = await client.query(
          `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen, report_count, reporter_count, operator_count, text_reporters)
           VALUES ('0123456789abcdef', $1, $1, $1, true, 'smishing', 0.9, 'en', now(), now(), $2, $2, 1, $2) RETURNING id`,
          [text, reporters],
        );
        await client.query(`INSERT INTO campaign_reporters (campaign_id, reporter_pseudonym) VALUES ($1, 'pseudonym-that-must-not-leak')`, [
          rows[0].id,
        ]);
      });
    };
    const run = uniqueSuffix();
    await insert(2, `two reporters ${run}`);
    await insert(3, `three reporters ${run}`);
    const res = await follow('/v1/campaigns', 1000);
    const body = JSON.stringify(res.items);
    expect(body).not.toContain('pseudonym-that-must-not-leak');
    expect(body).not.toContain(`two reporters ${run}`);
    expect(res.items.filter((c) => (c as unknown as { sample_text: string | null }).sample_text === `three reporters ${run}`)).toHaveLength(
      1,
    );
  });
});
