import { SharingRepository } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import request from 'supertest';
import { CONSORTIUM_COLLECTION_ID, operatorCollectionId } from '../src/taxii/collections';
import { expectValidStix } from './taxii-stix-schemas';
import { TAXII, startTaxii, writeCampaign, writeIndicator, type TaxiiHarness } from './taxii-harness';

interface StixLike {
  type: string;
  id: string;
  modified?: string;
  created: string;
  object_marking_refs?: string[];
  [key: string]: unknown;
}
interface Envelope {
  more?: boolean;
  next?: string;
  objects?: StixLike[];
}

const ROOT = '/taxii2/api';
const consortium = `${ROOT}/collections/${CONSORTIUM_COLLECTION_ID}`;
const ukCollection = `${ROOT}/collections/${operatorCollectionId('demo-uk')}`;
const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';

describe('TAXII 2.1', () => {
  let t: TaxiiHarness;
  const run = uniqueSuffix();
  const pseudonym = `pseudonym-${run}-must-not-leak`;

  beforeAll(async () => {
    t = await startTaxii({ SHARE_TEXT_MIN_REPORTERS: '3' });
    await writeIndicator(t.db.pool, `fee-${run}.example`, { publishable: true });
    await writeIndicator(t.db.pool, `quiet-${run}.example`, { publishable: false });
    await writeIndicator(t.db.pool, 'ROYALMAIL', { publishable: true, type: 'sender_alphanumeric' });
    await writeIndicator(t.db.pool, '+447700900555', { publishable: true, type: 'phone' });
    await writeCampaign(t.db.pool, `two reporters ${run}`, 2, pseudonym);
    await writeCampaign(t.db.pool, `three reporters ${run}`, 3, pseudonym);
  });
  afterAll(async () => {
    await t.close();
  });

  async function everything(path: string, key?: string): Promise<StixLike[]> {
    const objects: StixLike[] = [];
    let next: string | undefined;
    do {
      const res = await t.get(`${path}/objects/?limit=50${next ? `&next=${next}` : ''}`, key);
      expect(res.status).toBe(200);
      const envelope = res.body as Envelope;
      objects.push(...(envelope.objects ?? []));
      next = envelope.more ? envelope.next : undefined;
    } while (next);
    return objects;
  }

  describe('discovery and collections', () => {
    it('points at its one API root, which speaks TAXII 2.1', async () => {
      const discovery = await t.get('/taxii2/');
      expect(discovery.status).toBe(200);
      expect(discovery.headers['content-type']).toBe(TAXII);
      expect(discovery.body).toMatchObject({ default: `${t.server.url}/taxii2/api/`, api_roots: [`${t.server.url}/taxii2/api/`] });
      const root = await t.get(`${ROOT}/`);
      expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: expect.any(Number) });
    });

    it('lists the consortium collection, read-only, and one per operator, writable by that operator alone', async () => {
      const res = await t.get(`${ROOT}/collections/`);
      expect(res.status).toBe(200);
      const byId = new Map(
        (res.body.collections as Array<{ id: string; can_read: boolean; can_write: boolean; title: string }>).map((c) => [c.id, c]),
      );
      expect(byId.get(CONSORTIUM_COLLECTION_ID)).toMatchObject({ can_read: true, can_write: false });
      expect(byId.get(operatorCollectionId('demo-uk'))).toMatchObject({
        can_read: true,
        can_write: true,
        title: 'Demo Mobile UK published',
      });
      expect(byId.get(operatorCollectionId('demo-fr'))).toMatchObject({ can_read: true, can_write: false });
      const one = await t.get(`${ukCollection}/`, t.keys.frRead);
      expect(one.body).toMatchObject({
        id: operatorCollectionId('demo-uk'),
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      });
      expect((await t.get(`${ROOT}/collections/00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
    });
  });

  describe('authentication and negotiation', () => {
    it('takes the API key as the HTTP Basic password or as a Bearer token', async () => {
      const basic = await request(t.server.url).get(`${ROOT}/collections/`).set('Accept', TAXII).auth('anyone', t.keys.ukRead);
      const bearer = await request(t.server.url)
        .get(`${ROOT}/collections/`)
        .set('Accept', TAXII)
        .set('Authorization', `Bearer ${t.keys.ukRead}`);
      expect([basic.status, bearer.status]).toEqual([200, 200]);
    });

    it('refuses no key, a wrong key and a regulator key with 401 and a Basic challenge', async () => {
      const none = await request(t.server.url).get(`${ROOT}/collections/`).set('Accept', TAXII);
      const wrong = await request(t.server.url)
        .get(`${ROOT}/collections/`)
        .set('Accept', TAXII)
        .auth('x', `${t.keys.ukRead.slice(0, -4)}AAAA`);
      const regulator = await t.get(`${ROOT}/collections/`, t.keys.regulator);
      for (const res of [none, wrong, regulator]) {
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic /);
        expect(res.body).toMatchObject({ http_status: '401', details: { field: 'authorization' }, error_id: expect.any(String) });
      }
    });

    it('lets a publish-only key find collections but not read objects', async () => {
      expect((await t.get(`${ROOT}/collections/`, t.keys.frPublishOnly)).status).toBe(200);
      const objects = await t.get(`${consortium}/objects/`, t.keys.frPublishOnly);
      expect(objects.status).toBe(403);
    });

    it('answers 406 when the client does not accept TAXII 2.1', async () => {
      for (const accept of ['application/json', 'application/taxii+json;version=2.0']) {
        const res = await request(t.server.url).get(`${consortium}/objects/`).set('Accept', accept).auth('x', t.keys.ukRead);
        expect(res.status).toBe(406);
        expect(res.body.details.field).toBe('accept');
      }
    });

    it('answers 415 to a POST that is not a TAXII 2.1 envelope', async () => {
      const res = await request(t.server.url)
        .post(`${ukCollection}/objects/`)
        .set('Accept', TAXII)
        .set('Content-Type', 'application/json')
        .auth('x', t.keys.ukPublish)
        .send({ objects: [] });
      expect(res.status).toBe(415);
    });
  });

  describe('objects', () => {
    it('serves only STIX 2.1 objects that validate against the OASIS schemas', async () => {
      const objects = await everything(consortium);
      expect(new Set(objects.map((o) => o.type))).toEqual(
        new Set(['marking-definition', 'identity', 'extension-definition', 'indicator', 'campaign']),
      );
      expectValidStix(objects);
    });

    it('marks every object with a TLP, except the TLP definitions themselves', async () => {
      const objects = await everything(consortium);
      const tlps = new Set(objects.filter((o) => o.type === 'marking-definition').map((o) => o.id));
      expect(tlps.size).toBe(5);
      for (const object of objects.filter((o) => o.type !== 'marking-definition')) {
        expect(object.object_marking_refs?.some((ref) => tlps.has(ref))).toBe(true);
      }
    });

    it('shares only indicators that were shared, with phone numbers and sender IDs as the project observables', async () => {
      const patterns = (await everything(consortium)).filter((o) => o.type === 'indicator').map((o) => o.pattern);
      expect(patterns).toEqual(
        expect.arrayContaining([
          `[domain-name:value = 'fee-${run}.example']`,
          "[sender-id:value = 'ROYALMAIL' AND sender-id:sender_type = 'alphanumeric']",
          "[phone-number:value = '+447700900555']",
        ]),
      );
      expect(JSON.stringify(patterns)).not.toContain(`quiet-${run}`);
    });

    it('shares a campaign text only from k distinct reporters, and never a reporter pseudonym', async () => {
      const objects = await everything(consortium);
      const body = JSON.stringify(objects);
      expect(body).not.toContain(pseudonym);
      expect(body).not.toContain(`two reporters ${run}`);
      expect(objects.filter((o) => o.type === 'campaign' && String(o.description).includes(`three reporters ${run}`))).toHaveLength(1);
      const manifest = JSON.stringify((await t.get(`${consortium}/manifest/`)).body);
      expect(manifest).not.toContain(pseudonym);
    });

    it('finds every object it serves by its id, and lists its version', async () => {
      const objects = await everything(consortium);
      for (const object of objects) {
        const one = await t.get(`${consortium}/objects/${object.id}/`);
        expect(one.status).toBe(200);
        expect(one.body.objects).toEqual([object]);
        const versions = await t.get(`${consortium}/objects/${object.id}/versions/`);
        expect(versions.body).toEqual({ more: false, versions: [object.modified ?? object.created] });
      }
      expect((await t.get(`${consortium}/objects/indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
      expect((await t.get(`${consortium}/objects/not-an-id/`)).status).toBe(404);
    });

    it('filters by match[type], match[id], match[version] and match[spec_version]', async () => {
      const all = await everything(consortium);
      const campaign = all.find((o) => o.type === 'campaign')!;
      const indicator = all.find((o) => o.type === 'indicator')!;
      const types = await t.get(`${consortium}/objects/?match[type]=campaign,extension-definition`);
      expect(new Set((types.body.objects as StixLike[]).map((o) => o.type))).toEqual(new Set(['campaign', 'extension-definition']));
      const ids = await t.get(`${consortium}/objects/?match[id]=${campaign.id},${indicator.id}`);
      expect((ids.body.objects as StixLike[]).map((o) => o.id).sort()).toEqual([campaign.id, indicator.id].sort());
      const version = await t.get(`${consortium}/objects/?match[id]=${indicator.id}&match[version]=${indicator.modified}`);
      expect(version.body.objects).toEqual([indicator]);
      const otherVersion = await t.get(`${consortium}/objects/?match[id]=${indicator.id}&match[version]=2001-01-01T00:00:00.000Z`);
      expect(otherVersion.body.objects).toBeUndefined();
      for (const keyword of ['first', 'last', 'all']) {
        expect((await t.get(`${consortium}/objects/?match[id]=${indicator.id}&match[version]=${keyword}`)).body.objects).toEqual([
          indicator,
        ]);
      }
      expect((await t.get(`${consortium}/objects/?match[spec_version]=2.0`)).body).toEqual({ more: false });
    });

    it('describes each object in the manifest with the date it was added and its version', async () => {
      const res = await t.get(`${consortium}/manifest/?limit=1000`);
      const objects = await everything(consortium);
      expect(res.body.objects).toEqual(
        objects.map((o) => ({
          id: o.id,
          date_added: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
          version: o.modified ?? o.created,
          media_type: 'application/stix+json;version=2.1',
        })),
      );
      const dates = (res.body.objects as Array<{ date_added: string }>).map((m) => m.date_added);
      expect(res.headers['x-taxii-date-added-first']).toBe(dates[0]);
      expect(res.headers['x-taxii-date-added-last']).toBe(dates[dates.length - 1]);
    });

    it('answers bad parameters with 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['limit=0', 'limit'],
        ['added_after=yesterday', 'added_after'],
        ['next=nonsense', 'next'],
        ['match[id]=nope', 'match[id]'],
        ['match[version]=latest', 'match[version]'],
      ];
      for (const [query, field] of cases) {
        const res = await t.get(`${consortium}/objects/?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.details.field).toBe(field);
      }
    });
  });

  describe("operators' collections", () => {
    it('show TLP:RED indicators to their publisher only, and others to every operator', async () => {
      const sharing = new SharingRepository(t.db.pool);
      const publish = (value: string, tlp: 'red' | 'amber') =>
        sharing.publish({
          operatorId: 'demo-uk',
          clientId: `${tlp}-${run}`,
          type: 'domain',
          value,
          category: 'smishing',
          tlp,
          confidence: 0.9,
          description: null,
          validUntil: null,
        });
      await publish(`red-${run}.example`, 'red');
      await publish(`amber-${run}.example`, 'amber');
      const mine = await everything(ukCollection, t.keys.ukRead);
      const theirs = await everything(ukCollection, t.keys.frRead);
      expect(JSON.stringify(mine)).toContain(`red-${run}.example`);
      expect(JSON.stringify(theirs)).not.toContain(`red-${run}.example`);
      expect(JSON.stringify(theirs)).toContain(`amber-${run}.example`);
      expect(theirs.some((o) => o.object_marking_refs?.includes(TLP_RED))).toBe(false);
      const red = mine.find((o) => String(o.pattern).includes(`red-${run}`))!;
      expect((await t.get(`${ukCollection}/objects/${red.id}/`, t.keys.frRead)).status).toBe(404);
      expectValidStix(mine);
      expect(JSON.stringify(await everything(consortium))).not.toContain(`red-${run}.example`);
    });

    it("serve operators' sightings of indicators where those indicators are, marked as they are", async () => {
      const sharing = new SharingRepository(t.db.pool);
      const { rows } = await t.db.pool.query<{ id: string }>(`SELECT id::text FROM indicators WHERE value = $1`, [`fee-${run}.example`]);
      const recorded = await sharing.recordSighting(
        { operatorId: 'demo-fr', clientId: `s-${run}`, indicatorId: `c${rows[0]!.id}`, kind: 'blocked', count: 40, observedAt: new Date() },
        (target) => ({ feedback: target.feedback + 1, status: target.status, revokedByFeedback: target.revokedByFeedback }),
      );
      expect(recorded.recorded).toBe(true);
      const objects = await everything(consortium);
      const indicator = objects.find((o) => o.pattern === `[domain-name:value = 'fee-${run}.example']`)!;
      const sighting = objects.find((o) => o.type === 'sighting' && o.sighting_of_ref === indicator.id);
      expect(sighting).toMatchObject({
        count: 40,
        where_sighted_refs: [expect.stringMatching(/^identity--/)],
        object_marking_refs: indicator.object_marking_refs,
      });
      expectValidStix(objects);
    });
  });
});
