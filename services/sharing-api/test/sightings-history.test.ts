import { inFeedTransaction, TaxiiRepository } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import request from 'supertest';
import type { Sighting as HistoryItem } from '../browser/feedback-types';
import { CONSORTIUM_COLLECTION_ID } from '../src/taxii/collections';
import { startSharingService, type SharingService } from './attack-harness';
import { expectValidStix } from './taxii-stix-schemas';

interface StixLike {
  type: string;
  id: string;
  created: string;
  modified: string;
  revoked?: boolean;
  [key: string]: unknown;
}

/** An operator's feedback (issue 29, point 4): notes, taking sightings back, the history; real PostgreSQL. */
describe('/v1/sightings: notes, taking back, history', () => {
  let service: SharingService;
  const keys: Record<'uk' | 'fr' | 'es' | 'ukRead', string> = { uk: '', fr: '', es: '', ukRead: '' };
  const run = uniqueSuffix();

  beforeAll(async () => {
    service = await startSharingService({ INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.3' });
    await service.db.pool.query(`INSERT INTO operators (id, name, country) VALUES ('demo-es', 'Demo ES', 'ES') ON CONFLICT DO NOTHING`);
    keys.uk = await service.key('demo-uk', ['read', 'publish', 'feedback']);
    keys.fr = await service.key('demo-fr', ['read', 'feedback']);
    keys.es = await service.key('demo-es', ['read', 'feedback']);
    keys.ukRead = await service.key('demo-uk', ['read']);
  });
  afterAll(async () => {
    await service.close();
  });

  const sight = (who: keyof typeof keys, body: Record<string, unknown>) => service.post('/v1/sightings', body, keys[who]);
  const takeBack = (who: keyof typeof keys, id: string) =>
    request(service.server.url)
      .delete(`/v1/sightings/${encodeURIComponent(id)}`)
      .set('authorization', `Bearer ${keys[who]}`);
  async function history(who: keyof typeof keys, query = ''): Promise<HistoryItem[]> {
    const items: HistoryItem[] = [];
    let cursor: string | null = null;
    do {
      const res = await service.get(`/v1/sightings?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`, keys[who]);
      expect(res.status).toBe(200);
      items.push(...(res.body.data as HistoryItem[]));
      cursor = res.body.next as string | null;
    } while (cursor);
    return items;
  }
  async function feed(who: keyof typeof keys, cursor = ''): Promise<{ data: Array<Record<string, unknown>>; next: string }> {
    const data: Array<Record<string, unknown>> = [];
    for (;;) {
      const res = await service.get(`/v1/indicators?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, keys[who]);
      data.push(...res.body.data);
      cursor = res.body.next;
      if (!res.body.has_more) return { data, next: cursor };
    }
  }
  /** Consortium indicators shared in the feed, found by one campaign; their feed ids and the campaign's id. */
  async function consortiumCampaign(values: string[]): Promise<{ ids: string[]; campaignId: string }> {
    const campaignId = await inFeedTransaction(service.db.pool, async (client) => {
      const { rows: campaign } = await client.query<{ id: string }>(
        `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, ever_spam, category, confidence, language, first_seen,
                                last_seen, report_count, reporter_count, operator_count, text_reporters)
         VALUES ('0123456789abcdef', $1, 'pay at <URL>', 'pay at <URL>', true, true, 'smishing', 0.9, 'en', now(), now(), 8, 8, 2, 8)
         RETURNING id::text`,
        [`fp-${uniqueSuffix()}`],
      );
      for (const value of values) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
           VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.8, true, true, 8, 2) RETURNING id`,
          [value],
        );
        await client.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) VALUES ($1, $2)', [campaign[0]!.id, rows[0]!.id]);
      }
      return campaign[0]!.id;
    });
    const shown = (await feed('fr')).data;
    return { ids: values.map((v) => shown.find((i) => i.value === v)!.id as string), campaignId };
  }
  async function campaignVoices(campaignId: string): Promise<{ voices: string[]; due: boolean }> {
    const { rows } = await service.db.pool.query<{ voice: string }>(
      `SELECT operator_id || ':' || kind AS voice FROM campaign_feedback WHERE campaign_id = $1 ORDER BY 1`,
      [campaignId],
    );
    const due = await service.db.pool.query<{ due: boolean }>('SELECT verdict_due AS due FROM campaigns WHERE id = $1', [campaignId]);
    return { voices: rows.map((r) => r.voice), due: due.rows[0]!.due };
  }

  it('stores a trimmed note, answers it with the id to take the sighting back by, and lists it', async () => {
    const { ids } = await consortiumCampaign([`note-${run}.top`]);
    const res = await sight('uk', { indicator_id: ids[0], kind: 'blocked', count: 12, note: '  blocked at the SMSC after complaints  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      indicator_id: ids[0],
      recorded: true,
      indicator_status: 'active',
      note: 'blocked at the SMSC after complaints',
      revoked_at: null,
    });
    const again = await sight('uk', { id: res.body.id, indicator_id: ids[0], kind: 'blocked', note: 'another note' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: res.body.id, recorded: false, note: 'blocked at the SMSC after complaints' });
    const listed = await history('uk', `&indicator_id=${ids[0]}`);
    expect(listed).toEqual([
      {
        id: res.body.id,
        indicator_id: ids[0],
        type: 'domain',
        value: `note-${run}.top`,
        kind: 'blocked',
        count: 12,
        note: 'blocked at the SMSC after complaints',
        observed_at: expect.any(String),
        created_at: expect.any(String),
        revoked_at: null,
        status: 'active',
      },
    ]);
    const plain = await sight('uk', { indicator_id: ids[0], kind: 'blocked', note: '   ' });
    expect(plain.body.note).toBeNull();
  });

  it('refuses a note longer than 500 characters, naming the field', async () => {
    const { ids } = await consortiumCampaign([`long-${run}.top`]);
    const res = await sight('uk', { indicator_id: ids[0], kind: 'blocked', note: 'x'.repeat(501) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', field: 'note' });
    expect((await sight('uk', { indicator_id: ids[0], kind: 'blocked', note: ` ${'x'.repeat(500)} ` })).status).toBe(201);
  });

  it('lets the operator that recorded a sighting take it back, once: twice answers the same', async () => {
    const { ids } = await consortiumCampaign([`back-${run}.top`]);
    const id = `fw-${run}/1`;
    await sight('uk', { id, indicator_id: ids[0], kind: 'blocked', note: 'mine' });
    const first = await takeBack('uk', id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, indicator_id: ids[0], kind: 'blocked', note: 'mine', revoked_at: expect.any(String) });
    const second = await takeBack('uk', id);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await history('uk', `&indicator_id=${ids[0]}`))[0]).toEqual(first.body);
    // Sent again, its id answers the sighting as it stands: taken back, not recorded anew.
    const resent = await sight('uk', { id, indicator_id: ids[0], kind: 'blocked' });
    expect(resent.body).toMatchObject({ recorded: false, revoked_at: first.body.revoked_at });
  });

  it("answers 404 naming the id for another operator's sighting, as for one that does not exist, and leaves it standing", async () => {
    const { ids } = await consortiumCampaign([`theirs-${run}.top`]);
    const id = `uk-only-${run}`;
    await sight('uk', { id, indicator_id: ids[0], kind: 'false_positive' });
    const theirs = await takeBack('fr', id);
    const nobodys = await takeBack('fr', `nobody-${run}`);
    for (const res of [theirs, nobodys]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', field: 'id', requestId: expect.any(String) });
    }
    expect(theirs.body.error.message).toBe(nobodys.body.error.message);
    expect((await takeBack('ukRead', id)).status).toBe(403);
    expect((await history('uk', `&indicator_id=${ids[0]}`))[0]).toMatchObject({ id, revoked_at: null });
  });

  it("returns an indicator two operators' false positives revoked to active and to the feed when one takes its back; the campaign forgets that voice once none of its sightings there stands", async () => {
    const { ids, campaignId } = await consortiumCampaign([`fp-a-${run}.top`, `fp-b-${run}.top`]);
    const [a, b] = ids as [string, string];
    const frOnA = await sight('fr', { indicator_id: a, kind: 'false_positive' });
    const frOnB = await sight('fr', { indicator_id: b, kind: 'false_positive' });
    const esOnA = await sight('es', { indicator_id: a, kind: 'false_positive' });
    expect(esOnA.body.indicator_status).toBe('revoked');
    expect(await campaignVoices(campaignId)).toEqual({ voices: ['demo-es:false_positive', 'demo-fr:false_positive'], due: true });
    // The analyser decided the campaign meanwhile.
    await service.db.pool.query('UPDATE campaigns SET verdict_due = false WHERE id = $1', [campaignId]);
    const before = await feed('uk');
    expect(before.data.find((i) => i.id === a)).toMatchObject({ status: 'revoked', shared: false });

    const back = await takeBack('fr', frOnA.body.id);
    expect(back.body).toMatchObject({ indicator_id: a, status: 'active', revoked_at: expect.any(String) });
    const changes = (await feed('uk', before.next)).data;
    expect(changes.find((i) => i.id === a)).toMatchObject({ status: 'active', shared: true });
    // fr still disputes b, one of the campaign's indicators: its voice on the campaign stands.
    expect(await campaignVoices(campaignId)).toEqual({ voices: ['demo-es:false_positive', 'demo-fr:false_positive'], due: false });

    await takeBack('fr', frOnB.body.id);
    expect(await campaignVoices(campaignId)).toEqual({ voices: ['demo-es:false_positive'], due: true });
    // What is left: one operator disputes a, which one voice never revokes.
    const again = await sight('fr', { indicator_id: a, kind: 'false_positive' });
    expect(again.body.indicator_status).toBe('revoked');
  });

  it("keeps a publisher's own revocation whatever is taken back, and lifts one its own false positive made when it takes that back", async () => {
    const publish = (value: string) =>
      service.post('/v1/indicators', { id: value, type: 'domain', value, category: 'smishing', tlp: 'green' }, keys.uk);
    const revokedByPublisher = (await publish(`pub-${run}.example`)).body.id as string;
    const frFp = await sight('fr', { indicator_id: revokedByPublisher, kind: 'false_positive' });
    expect((await sight('es', { indicator_id: revokedByPublisher, kind: 'false_positive' })).body.indicator_status).toBe('revoked');
    await new TaxiiRepository(service.db.pool).revokePublished('demo-uk', `pub-${run}.example`);
    expect((await takeBack('fr', frFp.body.id)).body.status).toBe('revoked');

    const ownFp = (await publish(`own-${run}.example`)).body.id as string;
    const mine = await sight('uk', { indicator_id: ownFp, kind: 'false_positive' });
    expect(mine.body.indicator_status).toBe('revoked');
    expect((await takeBack('uk', mine.body.id)).body.status).toBe('active');
    expect((await feed('fr')).data.find((i) => i.id === ownFp)).toMatchObject({ status: 'active', shared: true });
  });

  it('serves a sighting taken back over TAXII as a revoked, later version, after the date its client last saw', async () => {
    const { ids } = await consortiumCampaign([`taxii-${run}.top`]);
    const recorded = await sight('fr', { indicator_id: ids[0], kind: 'blocked', count: 7, note: 'not for TAXII' });
    const objects = `/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/?match[type]=sighting&limit=1000`;
    const first = await service.taxiiGet(objects, keys.uk);
    const lastSeen = first.headers['x-taxii-date-added-last'] as string;
    const before = (first.body.objects as StixLike[]).find((o) => o.count === 7 && !o.revoked)!;
    expect(before.modified).toBe(before.created);
    expect(JSON.stringify(first.body)).not.toContain('not for TAXII');

    await takeBack('fr', recorded.body.id);
    const later = await service.taxiiGet(`${objects}&added_after=${encodeURIComponent(lastSeen)}`, keys.uk);
    expect(later.status).toBe(200);
    const revoked = (later.body.objects as StixLike[]).find((o) => o.id === before.id)!;
    expect(revoked).toMatchObject({ revoked: true, created: before.created, count: 7 });
    expect(Date.parse(revoked.modified)).toBeGreaterThan(Date.parse(before.modified));
    expectValidStix(later.body.objects as StixLike[]);
    const version = await service.taxiiGet(
      `/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/${before.id}/?match[version]=${revoked.modified}`,
      keys.uk,
    );
    expect(version.body.objects).toEqual([revoked]);
  });

  it("pages an operator's history newest first and never shows another operator's sightings", async () => {
    const { ids } = await consortiumCampaign([`page-${run}.top`]);
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await sight('es', { id: `es-${run}-${i}`, indicator_id: ids[0], kind: 'blocked' })).body.id);
    await sight('fr', { id: `fr-${run}`, indicator_id: ids[0], kind: 'blocked', note: `fr's own note ${run}` });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await service.get(`/v1/sightings?limit=2&indicator_id=${ids[0]}${cursor ? `&cursor=${cursor}` : ''}`, keys.es);
      expect(res.status).toBe(200);
      pages.push((res.body.data as HistoryItem[]).map((s) => s.id));
      expect(res.body.has_more).toBe(res.body.next !== null);
      cursor = res.body.next as string | null;
    } while (cursor);
    expect(pages).toEqual([mine.slice(3).reverse(), mine.slice(1, 3).reverse(), [mine[0]]]);
    const all = await history('es');
    expect(all.map((s) => s.id).slice(0, 5)).toEqual([...mine].reverse());
    expect(JSON.stringify(all)).not.toContain(`fr-${run}`);
    expect(JSON.stringify(await history('uk'))).not.toContain(`fr's own note`);
    expect((await history('fr', `&indicator_id=${ids[0]}`)).map((s) => s.id)).toEqual([`fr-${run}`]);
  });

  it('answers 400 naming the parameter for a bad limit, cursor or indicator id', async () => {
    const cases: Array<[string, string]> = [
      ['limit=201', 'limit'],
      ['limit=0', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['indicator_id=c_nothing', 'indicator_id'],
    ];
    for (const [query, field] of cases) {
      const res = await service.get(`/v1/sightings?${query}`, keys.uk);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    // A feed cursor is no history cursor.
    const feedCursor = (await service.get('/v1/indicators?limit=1', keys.uk)).body.next as string;
    expect((await service.get(`/v1/sightings?cursor=${feedCursor}`, keys.uk)).status).toBe(400);
  });
});
