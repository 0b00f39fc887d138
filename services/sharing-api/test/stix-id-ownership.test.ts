import { randomUUID } from 'node:crypto';
import { inFeedTransaction } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import { CONSORTIUM_COLLECTION_ID, operatorCollectionId } from '../src/taxii/collections';
import { startSharingService, type SharingService } from './attack-harness';
import { stixIndicator } from './taxii-harness';

const collection = (operator: string) => `/taxii2/api/collections/${operatorCollectionId(operator)}/objects/`;

/**
 * Issue 24 finding 6b: an operator published under a STIX id another operator
 * already used, into its own collection, so clients merging by id got two
 * conflicting objects for one id.
 */
describe('a STIX id belongs to the operator that first published it', () => {
  let service: SharingService;
  let ukKey: string;
  let frKey: string;
  beforeAll(async () => {
    service = await startSharingService();
    ukKey = await service.key('demo-uk', ['read', 'publish']);
    frKey = await service.key('demo-fr', ['read', 'publish']);
  });
  afterAll(() => service.close());

  const objectsWithId = async (key: string, path: string, id: string) => {
    const res = await service.taxiiGet(`${path}?match[id]=${id}`, key);
    expect(res.status).toBe(200);
    return (res.body.objects ?? []) as Array<{ id: string; pattern: string }>;
  };

  it('refuses another operator the id over TAXII and over the JSON API, and lets the owner publish new versions', async () => {
    const run = uniqueSuffix();
    const id = `indicator--${randomUUID()}`;
    const original = stixIndicator(`[domain-name:value = 'owner-${run}.example']`, { id });
    const first = await service.taxiiPost(collection('demo-uk'), { objects: [original] }, ukKey);
    expect(first.body).toMatchObject({ success_count: 1, failure_count: 0 });

    // The attacker reuses the id, with another pattern, in its own collection.
    const hijack = stixIndicator(`[domain-name:value = 'innocent-${run}.example']`, { id, modified: '2025-03-02T10:00:00.000Z' });
    const overTaxii = await service.taxiiPost(collection('demo-fr'), { objects: [hijack] }, frKey);
    expect(overTaxii.status).toBe(202);
    expect(overTaxii.body).toMatchObject({ success_count: 0, failure_count: 1 });
    expect(overTaxii.body.failures).toEqual([expect.objectContaining({ id, message: expect.stringMatching(/another operator/) })]);

    const overJson = await service.post(
      '/v1/indicators',
      { id, type: 'domain', value: `innocent-${run}.example`, category: 'smishing', tlp: 'green' },
      frKey,
    );
    expect(overJson.status).toBe(409);
    expect(overJson.body.error).toMatchObject({ code: 'id_taken', field: 'id', requestId: expect.any(String) });

    expect(await objectsWithId(frKey, collection('demo-fr'), id)).toEqual([]);
    expect((await objectsWithId(frKey, collection('demo-uk'), id)).map((o) => o.pattern)).toEqual([original.pattern]);

    // The owner still publishes new versions of its own id, by either way in.
    const update = stixIndicator(original.pattern, { id, modified: '2025-03-03T10:00:00.000Z', confidence: 60 });
    const again = await service.taxiiPost(collection('demo-uk'), { objects: [update] }, ukKey);
    expect(again.body).toMatchObject({
      success_count: 1,
      failure_count: 0,
      successes: [expect.objectContaining({ id, message: 'updated' })],
    });
    const viaJson = await service.post(
      '/v1/indicators',
      { id, type: 'domain', value: `owner-${run}.example`, category: 'smishing', tlp: 'green', confidence: 0.7 },
      ukKey,
    );
    expect(viaJson.status).toBe(200);
  });

  it('refuses the STIX id the server gave an operator indicator published without one, and a consortium indicator', async () => {
    const run = uniqueSuffix();
    const published = await service.post(
      '/v1/indicators',
      { type: 'domain', value: `plain-${run}.example`, category: 'smishing', tlp: 'green' },
      ukKey,
    );
    expect(published.status).toBe(201);
    const ukObjects = (await service.taxiiGet(`${collection('demo-uk')}?match[type]=indicator&limit=1000`, frKey)).body.objects as Array<{
      id: string;
      pattern: string;
    }>;
    const derived = ukObjects.find((o) => o.pattern.includes(`plain-${run}.example`))!.id;

    const { rows } = await inFeedTransaction(service.db.pool, (client) =>
      client.query<{ stix_uuid: string }>(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.9, true, true, 3) RETURNING stix_uuid::text`,
        [`consortium-${run}.example`],
      ),
    );
    const consortium = `indicator--${rows[0]!.stix_uuid}`;
    expect((await objectsWithId(frKey, `/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/`, consortium)).length).toBe(1);

    for (const id of [derived, consortium]) {
      const res = await service.taxiiPost(
        collection('demo-fr'),
        { objects: [stixIndicator(`[domain-name:value = 'other-${run}.example']`, { id })] },
        frKey,
      );
      expect(res.body).toMatchObject({ success_count: 0, failure_count: 1 });
      const json = await service.post(
        '/v1/indicators',
        { id, type: 'domain', value: `other-${run}.example`, category: 'smishing', tlp: 'green' },
        frKey,
      );
      expect(json.status).toBe(409);
    }
  });
});
