import { uniqueSuffix } from '@srs/testkit';
import type { CampaignDetail } from '../browser/campaign-types';
import { startSharingService, type SharingService } from './attack-harness';
import { seedCampaign } from './portal-seed';

/** GET /v1/portal/campaigns/:id, against real PostgreSQL: the portal's campaign page, under the feed's sharing rules. */
describe('GET /v1/portal/campaigns/:id', () => {
  let service: SharingService;
  let ukKey: string;
  let frKey: string;
  const suffix = uniqueSuffix();
  const domain = `parcel-${suffix}.top`.toLowerCase();
  const sender = `+447700900${String(100 + Math.floor(Math.random() * 900))}`;
  let main: { id: string; stixId: string };
  let sibling: { id: string; stixId: string };
  let unshared: { id: string; stixId: string };

  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    ukKey = await service.key('demo-uk', ['read', 'feedback']);
    frKey = await service.key('demo-fr', ['read']);
    main = await seedCampaign(service, {
      category: `main-${suffix}`,
      reporters: 5,
      operators: ['demo-uk', 'demo-fr'],
      reportsHoursAgo: [0.2, 0.3, 3.2, 3.4, 3.6],
      reportOperators: ['demo-uk', 'demo-fr', 'demo-fr', 'demo-fr', 'demo-uk'],
      indicators: [
        { type: 'domain', value: domain },
        { type: 'sender_msisdn', value: sender },
      ],
    });
    sibling = await seedCampaign(service, {
      category: `sibling-${suffix}`,
      reporters: 2,
      operators: ['demo-fr'],
      reportsHoursAgo: [30, 60, 80],
      indicators: [{ type: 'domain', value: domain }],
    });
    unshared = await seedCampaign(service, {
      category: `genuine-${suffix}`,
      spam: false,
      reporters: 2,
      operators: ['demo-uk'],
      reportsHoursAgo: [1],
      indicators: [{ type: 'domain', value: domain }],
    });
  });
  afterAll(() => service.close());

  const page = async (id: string, key: string) => {
    const res = await service.get(`/v1/portal/campaigns/${id}`, key);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body as CampaignDetail;
  };

  it('gives the campaign, its indicators and its reports by the hour, naming only the reading operator’s own network', async () => {
    const uk = await page(main.stixId, ukKey);
    expect(uk).toMatchObject({
      id: main.stixId,
      category: `main-${suffix}`,
      spam: true,
      reporters: 5,
      operators: 2,
      own_network: true,
      sample_text: `Your parcel main-${suffix} is held: pay at <URL>`,
    });
    expect(uk.indicators.map((i) => [i.type, i.value]).sort()).toEqual(
      [
        ['domain', domain],
        ['sender_msisdn', sender],
      ].sort(),
    );
    expect(uk.timeline.grain).toBe('hour');
    expect(uk.timeline.other_operators).toBe(1);
    const sum = (key: 'own' | 'others') => uk.timeline.buckets.reduce((n, b) => n + b[key], 0);
    expect([sum('own'), sum('others')]).toEqual([2, 3]);
    // every hour from the first report to the last, none skipped
    const starts = uk.timeline.buckets.map((b) => Date.parse(b.start));
    expect(starts.every((t, i) => i === 0 || t - starts[i - 1]! === 3_600_000)).toBe(true);
    expect(JSON.stringify(uk)).not.toContain('demo-fr');

    const fr = await page(main.stixId, frKey);
    expect([fr.timeline.buckets.reduce((n, b) => n + b.own, 0), fr.timeline.buckets.reduce((n, b) => n + b.others, 0)]).toEqual([3, 2]);
    expect(JSON.stringify(fr)).not.toContain('demo-uk');
  });

  it('lists the shared campaigns holding the same indicators, not the ones the feed does not share', async () => {
    const uk = await page(main.stixId, ukKey);
    expect(uk.related).toEqual([expect.objectContaining({ id: sibling.stixId, shared_indicators: 1, category: `sibling-${suffix}` })]);
    expect(uk.related.map((r) => r.id)).not.toContain(unshared.stixId);
    const back = await page(sibling.stixId, frKey);
    expect(back.related.map((r) => r.id)).toEqual([main.stixId]);
    // a campaign spread over more than two days is drawn by the day
    expect(back.timeline.grain).toBe('day');
  });

  it('shows the feedback an indicator received, and the TAXII path that serves the same campaign', async () => {
    const before = await page(main.stixId, ukKey);
    const target = before.indicators.find((i) => i.type === 'domain')!;
    expect((await service.post('/v1/sightings', { indicator_id: target.id, kind: 'blocked', count: 4 }, ukKey)).status).toBe(201);
    const after = await page(main.stixId, ukKey);
    expect(after.indicators.find((i) => i.id === target.id)!.feedback).toMatchObject({ blocked: 4, false_positive: 0 });

    const taxii = await service.taxiiGet(after.taxii.object_path, frKey);
    expect(taxii.status).toBe(200);
    expect((JSON.parse(taxii.text) as { objects: Array<{ id: string }> }).objects.map((o) => o.id)).toContain(main.stixId);
  });

  it('answers 404 for a campaign the feed does not share and 400 naming id for a malformed id', async () => {
    const hidden = await service.get(`/v1/portal/campaigns/${unshared.stixId}`, ukKey);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toMatchObject({ code: 'not_found', field: 'id' });
    expect((await service.get('/v1/portal/campaigns/campaign--00000000-0000-4000-8000-000000000000', ukKey)).status).toBe(404);
    const bad = await service.get('/v1/portal/campaigns/1', ukKey);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });

  it('tells the page whose key it holds and what it may do, never the key', async () => {
    const me = await service.get('/v1/portal/me', ukKey);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      operator: { id: 'demo-uk', name: expect.any(String), country: 'GB' },
      key: { prefix: ukKey.slice(0, me.body.key.prefix.length), scopes: ['read', 'feedback'] },
    });
    expect(JSON.stringify(me.body)).not.toContain(ukKey);
  });

  it('refuses a request without a key', async () => {
    expect((await service.get(`/v1/portal/campaigns/${main.stixId}`, 'nope')).status).toBe(401);
  });
});
