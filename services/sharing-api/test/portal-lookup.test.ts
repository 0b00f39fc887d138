import { inFeedTransaction } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import { startSharingService, type SharingService } from './attack-harness';

interface LookupAnswer {
  query: string;
  matched: Array<{ type: string; value: string }>;
  indicators: Array<{
    id: string;
    source: string;
    tlp: string;
    type: string;
    value: string;
    confidence: number;
    shared: boolean;
    withdrawn: boolean;
    status: string;
    first_seen: string;
    feedback: { blocked: number; false_positive: number; last_at: string | null };
    history: Array<{ at: string; confidence: number; status: string; shared: boolean }>;
  }>;
  campaigns: Array<{ id: string; category: string; sample_text: string | null; own_network: boolean; indicator_ids: string[] }>;
}

/** GET /v1/portal/lookup, against real PostgreSQL: what the portal's search box finds, under the feed's sharing rules. */
describe('GET /v1/portal/lookup', () => {
  let service: SharingService;
  let ukKey: string;
  let frKey: string;
  const suffix = uniqueSuffix();
  // a GB mobile number in the range kept for drama, unique to this run
  const digits = String(100 + Math.floor(Math.random() * 900));
  const e164 = `+447700900${digits}`;
  const domain = `parcel-${suffix}.top`.toLowerCase();
  const redDomain = `red-${suffix}.top`.toLowerCase();
  const category = `lookup-${suffix}`;

  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    ukKey = await service.key('demo-uk', ['read', 'publish', 'feedback']);
    frKey = await service.key('demo-fr', ['read', 'feedback']);
    await inFeedTransaction(service.db.pool, async (client) => {
      const { rows: campaign } = await client.query<{ id: string }>(
        `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, ever_spam, category, confidence, language, first_seen,
                                last_seen, report_count, reporter_count, operator_count, text_reporters)
         VALUES ('0123456789abcdef', $1, 'Your parcel is held: pay at <URL>', 'Your parcel is held: pay at <URL>', true, true, $2, 0.9, 'en',
                 now() - interval '2 days', now(), 5, 5, 1, 5) RETURNING id`,
        [`fp-${suffix}`, category],
      );
      await client.query(`INSERT INTO campaign_operators (campaign_id, operator_id) VALUES ($1, 'demo-uk')`, [campaign[0]!.id]);
      for (const [type, value] of [
        ['sender_msisdn', e164],
        ['domain', domain],
      ]) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
           VALUES ($1, $2, $3, 0.9, now() - interval '2 days', now(), 0.8, true, true, 5, 1) RETURNING id`,
          [type, value, category],
        );
        await client.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) VALUES ($1, $2)', [campaign[0]!.id, rows[0]!.id]);
      }
    });
    expect((await service.post('/v1/indicators', { type: 'domain', value: redDomain, category: 'fraud', tlp: 'red' }, ukKey)).status).toBe(
      201,
    );
  });
  afterAll(() => service.close());

  const lookup = async (q: string, key: string) => {
    const res = await service.get(`/v1/portal/lookup?q=${encodeURIComponent(q)}`, key);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body as LookupAnswer;
  };

  it("finds a number typed in the national format of the key's operator's country, in E.164, with its campaign and its feedback", async () => {
    const indicatorId = (await lookup(e164, frKey)).indicators[0]!.id;
    expect((await service.post('/v1/sightings', { indicator_id: indicatorId, kind: 'blocked' }, frKey)).status).toBeLessThan(300);

    // demo-uk is in GB: its subscribers' national format
    const answer = await lookup(`07700 900${digits}`, ukKey);
    expect(answer.matched).toEqual(expect.arrayContaining([{ type: 'sender_msisdn', value: e164 }]));
    expect(answer.indicators).toEqual([
      expect.objectContaining({
        id: indicatorId,
        source: 'consortium',
        type: 'sender_msisdn',
        value: e164,
        shared: true,
        withdrawn: false,
        status: 'active',
        feedback: expect.objectContaining({ blocked: 1, false_positive: 0 }),
      }),
    ]);
    expect(answer.campaigns).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^campaign--[0-9a-f-]{36}$/),
        category,
        sample_text: 'Your parcel is held: pay at <URL>',
        own_network: true,
        indicator_ids: [indicatorId],
      }),
    ]);
    // the same number as demo-fr's subscribers write it (international), and not its campaign as theirs
    const fr = await lookup(`00 44 7700-900${digits}`, frKey);
    expect(fr.indicators.map((i) => i.id)).toEqual([indicatorId]);
    expect(fr.campaigns.map((c) => c.own_network)).toEqual([false]);
  });

  it('finds the domain indicator behind a URL on its host', async () => {
    const answer = await lookup(`https://www.${domain}/pay?ref=123`, frKey);
    expect(answer.indicators.map((i) => [i.type, i.value])).toEqual([['domain', domain]]);
    expect(answer.campaigns.map((c) => c.category)).toEqual([category]);
  });

  it('finds nothing for a value no indicator has', async () => {
    const answer = await lookup(`unknown-${suffix}.top`, frKey);
    expect(answer.indicators).toEqual([]);
    expect(answer.campaigns).toEqual([]);
    expect((await lookup('07700 900000', ukKey)).indicators).toEqual([]);
  });

  it('gives each indicator its history as shared: a point when first shared, when its confidence moves by a hundredth, when withdrawn', async () => {
    const history = async () => (await lookup(domain, frKey)).indicators[0]!.history;
    const first = await history();
    expect(first).toEqual([{ at: expect.any(String), confidence: expect.closeTo(0.8, 5), status: 'active', shared: true }]);
    const set = (sql: string) =>
      inFeedTransaction(service.db.pool, (client) =>
        client.query(`UPDATE indicators SET ${sql} WHERE type = 'domain' AND value = $1`, [domain]),
      );
    // less than a hundredth: no new point
    await set('score = 0.802');
    expect(await history()).toHaveLength(1);
    await set('score = 0.61');
    await set(`publishable = false, status = 'revoked'`);
    const points = await history();
    expect(points.map((p) => [Math.round(p.confidence * 100), p.status, p.shared])).toEqual([
      [80, 'active', true],
      [61, 'active', true],
      [61, 'revoked', false],
    ]);
    expect(points.map((p) => Date.parse(p.at))).toEqual([...points.map((p) => Date.parse(p.at))].sort((a, b) => a - b));
    await set(`publishable = true, status = 'active', score = 0.8`);
  });

  it("does not show another operator's TLP:RED indicator; its publisher sees it", async () => {
    expect((await lookup(redDomain, frKey)).indicators).toEqual([]);
    const own = await lookup(redDomain, ukKey);
    expect(own.indicators).toEqual([expect.objectContaining({ source: 'demo-uk', tlp: 'red', type: 'domain', value: redDomain })]);
  });

  it('answers 400 naming q for an empty or unreadable query', async () => {
    for (const q of ['', '   ', '!!!']) {
      const res = await service.get(`/v1/portal/lookup?q=${encodeURIComponent(q)}`, frKey);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('q');
    }
    const missing = await service.get('/v1/portal/lookup', frKey);
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('q');
  });

  it('needs an operator key with scope read', async () => {
    expect((await service.get(`/v1/portal/lookup?q=${domain}`, 'srs_not-a-real-key')).status).toBe(401);
    const publishOnly = await service.key('demo-fr', ['publish']);
    expect((await service.get(`/v1/portal/lookup?q=${domain}`, publishOnly)).status).toBe(403);
  });
});
