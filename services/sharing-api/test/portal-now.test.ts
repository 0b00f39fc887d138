import { uniqueSuffix } from '@srs/testkit';
import type { RecentCampaigns } from '../browser/now-types';
import { CONSORTIUM_COLLECTION_ID } from '../src/taxii/collections';
import { startSharingService, type SharingService } from './attack-harness';
import { seedCampaign } from './portal-seed';

/** GET /v1/portal/now: the portal's "Now" list, with the feed's sharing rules and the key's own operator only. */
describe('GET /v1/portal/now', () => {
  let service: SharingService;
  let ukKey: string;
  let frKey: string;
  const cat = (name: string) => `${name}-${suffix}`;
  const suffix = uniqueSuffix();

  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    ukKey = await service.key('demo-uk', ['read']);
    frKey = await service.key('demo-fr', ['read']);
    // growing: 4 reports in the last 6 h, none before
    await seedCampaign(service, {
      category: cat('growing'),
      reporters: 4,
      operators: ['demo-uk', 'demo-fr'],
      reportsHoursAgo: [0.1, 1, 2, 5],
    });
    // fading: 5 reports 7 to 11 hours ago, 1 since
    await seedCampaign(service, { category: cat('fading'), reporters: 6, operators: ['demo-uk'], reportsHoursAgo: [0.5, 7, 8, 9, 10, 11] });
    // one subscriber, on demo-uk's network: no sample text, times to the hour
    await seedCampaign(service, { category: cat('lone'), reporters: 1, operators: ['demo-uk'], reportsHoursAgo: [3] });
    // never spam: the feed does not show it
    await seedCampaign(service, {
      category: cat('ham'),
      spam: false,
      everSpam: false,
      reporters: 5,
      operators: ['demo-uk'],
      reportsHoursAgo: [1],
    });
    // withdrawn: shown, as a withdrawal
    await seedCampaign(service, {
      category: cat('withdrawn'),
      spam: false,
      everSpam: true,
      reporters: 3,
      operators: ['demo-fr'],
      reportsHoursAgo: [2],
    });
    // last seen 30 hours ago: not active
    await seedCampaign(service, { category: cat('old'), reporters: 3, operators: ['demo-uk'], reportsHoursAgo: [30] });
  });
  afterAll(() => service.close());

  const now = async (key: string) => {
    const res = await service.get('/v1/portal/now', key);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body as RecentCampaigns;
  };

  it('lists the shared campaigns of the last 24 hours, fastest growing first, with their reports per hour', async () => {
    const answer = await now(frKey);
    expect(answer.hours).toBe(24);
    expect(answer.growth_hours).toBe(6);
    expect(answer.data.map((c) => c.category)).toEqual([cat('growing'), cat('withdrawn'), cat('lone'), cat('fading')]);
    const growing = answer.data[0]!;
    expect(growing.hourly).toHaveLength(24);
    expect(growing.hourly.reduce((a, b) => a + b, 0)).toBe(4);
    expect(growing.growth).toBe(4);
    expect(growing).toMatchObject({ spam: true, probability: expect.closeTo(0.87, 5), reporters: 4, operators: 2, own_network: true });
    expect(growing.sample_text).toBe(`Your parcel ${cat('growing')} is held: pay at <URL>`);
    const fading = answer.data.find((c) => c.category === cat('fading'))!;
    expect(fading.growth).toBe(1 - 5);
    expect(fading.hourly.reduce((a, b) => a + b, 0)).toBe(6);
    expect(answer.data.find((c) => c.category === cat('withdrawn'))!.spam).toBe(false);
  });

  it('gives campaigns their STIX ids, as TAXII does, never the internal number', async () => {
    const answer = await now(frKey);
    const objects = (
      await service.taxiiGet(`/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/?match[type]=campaign&limit=1000`, frKey)
    ).body.objects as Array<{ id: string }>;
    for (const c of answer.data) {
      expect(c.id).toMatch(/^campaign--[0-9a-f-]{36}$/);
      expect(objects.map((o) => o.id)).toContain(c.id);
    }
  });

  it('holds back what the feed holds back: the text below k reporters, times finer than the hour, other operators', async () => {
    const frAnswer = await now(frKey);
    const lone = frAnswer.data.find((c) => c.category === cat('lone'))!;
    expect(lone.sample_text).toBeNull();
    for (const t of [lone.first_seen, lone.last_seen]) expect(t).toMatch(/T\d\d:00:00\.000Z$/);
    expect(lone.own_network).toBe(false);
    // the feed says the same of it
    const feed = (await service.get('/v1/campaigns?limit=1000', frKey)).body.data as Array<Record<string, unknown>>;
    const fed = feed.find((c) => c.category === cat('lone'))!;
    expect([lone.first_seen, lone.last_seen, lone.sample_text]).toEqual([fed.first_seen, fed.last_seen, fed.sample_text]);
    // demo-fr never learns that demo-uk reported it, nor any operator's name
    expect(JSON.stringify(frAnswer)).not.toMatch(/demo-uk|demo-fr/);
    const ukAnswer = await now(ukKey);
    expect(ukAnswer.data.find((c) => c.category === cat('lone'))!.own_network).toBe(true);
    expect(ukAnswer.data.find((c) => c.category === cat('withdrawn'))!.own_network).toBe(false);
    expect(JSON.stringify(ukAnswer)).not.toMatch(/demo-uk|demo-fr/);
    // a campaign never shared is in neither
    expect([...frAnswer.data, ...ukAnswer.data].map((c) => c.category)).not.toContain(cat('ham'));
  });

  it('needs an operator key with scope read', async () => {
    expect((await service.get('/v1/portal/now', 'srs_not-a-real-key')).status).toBe(401);
    const publishOnly = await service.key('demo-fr', ['publish']);
    expect((await service.get('/v1/portal/now', publishOnly)).status).toBe(403);
  });

  it('serves the page under /portal/ with the same-origin script policy', async () => {
    const res = await fetch(`${service.server.url}/portal/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await res.text()).toContain('<script src="app.js" defer></script>');
  });
});
