import { SharingRepository } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import { operatorCollectionId } from '../src/taxii/collections';
import { expectValidStix } from './taxii-stix-schemas';
import { startTaxii, stixIndicator, type TaxiiHarness } from './taxii-harness';

const ROOT = '/taxii2/api';
const uk = `${ROOT}/collections/${operatorCollectionId('demo-uk')}`;
const CLIENT_IDENTITY = 'identity--0d4c2a8e-1b7f-4e39-8c55-7a1e9b3f6d20';

/**
 * Issue 27: an object added through TAXII was stored rewritten (created,
 * modified, valid_from, name and created_by_ref replaced by the server's), so
 * `created` changed between versions, the status named a version the
 * collection did not hold and match[version] on the posted modified found nothing.
 */
describe('TAXII add_objects keeps each object as the client sent it', () => {
  let t: TaxiiHarness;
  beforeAll(async () => {
    t = await startTaxii();
  });
  afterAll(async () => {
    await t.close();
  });

  const posted = (run: string, changes: Record<string, unknown> = {}) =>
    stixIndicator(`[domain-name:value = 'Kept-${run}.example']`, {
      created: '2025-03-01T10:00:00.123456Z',
      modified: '2025-03-01T10:00:00.123456Z',
      valid_from: '2025-02-28T00:00:00Z',
      name: 'their own name',
      description: 'their own description',
      created_by_ref: CLIENT_IDENTITY,
      ...changes,
    });

  async function held(id: string, query = '') {
    const res = await t.get(`${uk}/objects/${id}/${query}`);
    expect(res.status).toBe(200);
    return res.body.objects as Array<Record<string, unknown>>;
  }

  it('serves it as sent, under its version, and lists that version in the status, the manifest and the versions', async () => {
    const object = posted(uniqueSuffix());
    const res = await t.post(`${uk}/objects/`, { objects: [object] });
    expect(res.body).toMatchObject({ success_count: 1, successes: [{ id: object.id, version: object.modified, message: 'added' }] });
    expect(await held(object.id)).toEqual([object]);
    expect(await held(object.id, `?match[version]=${object.modified}`)).toEqual([object]);
    expect((await t.get(`${uk}/objects/${object.id}/versions/`)).body).toEqual({ more: false, versions: [object.modified] });
    const manifest = await t.get(`${uk}/manifest/?match[id]=${object.id}`);
    expect(manifest.body.objects).toEqual([expect.objectContaining({ id: object.id, version: object.modified })]);
    expectValidStix(await held(object.id));
  });

  it('takes a later version under the same id and created, and refuses one that is older, reuses a version or changes created', async () => {
    const first = posted(uniqueSuffix());
    await t.post(`${uk}/objects/`, { objects: [first] });
    const second = { ...first, modified: '2025-03-02T08:00:00.5Z', confidence: 40, name: 'renamed' };
    const res = await t.post(`${uk}/objects/`, { objects: [second] });
    expect(res.body.successes).toEqual([{ id: first.id, version: second.modified, message: 'updated' }]);
    expect(await held(first.id)).toEqual([second]);
    expect(await held(first.id, `?match[version]=${second.modified}`)).toEqual([second]);

    const older = { ...first, modified: '2025-03-01T12:00:00.000Z' };
    const reused = { ...second, confidence: 41 };
    const recreated = { ...second, created: '2025-03-02T00:00:00.000Z', modified: '2025-03-03T00:00:00.000Z' };
    const again = await t.post(`${uk}/objects/`, { objects: [older, reused, recreated, second] });
    expect(again.body).toMatchObject({ total_count: 4, success_count: 1, failure_count: 3 });
    expect(again.body.failures).toEqual([
      { id: first.id, version: older.modified, message: expect.stringMatching(/^modified: a later version/) },
      { id: first.id, version: reused.modified, message: expect.stringMatching(/^modified: version .* is held with other content/) },
      { id: first.id, version: recreated.modified, message: expect.stringMatching(/^created: /) },
    ]);
    expect(again.body.successes).toEqual([{ id: first.id, version: second.modified, message: 'unchanged' }]);
    expect(await held(first.id)).toEqual([second]);
  });

  it('keeps created, created_by_ref and valid_from in a version the server makes, later than the posted one', async () => {
    const run = uniqueSuffix();
    const object = posted(run);
    await t.post(`${uk}/objects/`, { objects: [object] });
    // The operator changes it through the JSON API: the row changes, and the server makes the next version.
    await new SharingRepository(t.db.pool).publish({
      operatorId: 'demo-uk',
      clientId: object.id,
      type: 'domain',
      value: `kept-${run}.example`,
      category: 'smishing',
      tlp: 'amber',
      confidence: 0.3,
      description: null,
      validUntil: null,
    });
    const [served] = await held(object.id);
    expect(served).toMatchObject({
      id: object.id,
      created: object.created,
      created_by_ref: CLIENT_IDENTITY,
      valid_from: object.valid_from,
      confidence: 30,
    });
    expect(Date.parse(String(served!.modified))).toBeGreaterThan(Date.parse(object.modified));
    expect((await t.get(`${uk}/objects/${object.id}/versions/`)).body.versions).toEqual([served!.modified]);
    expectValidStix([served!]);
  });

  it('keeps the revoked version a client posts', async () => {
    const object = posted(uniqueSuffix());
    await t.post(`${uk}/objects/`, { objects: [object] });
    const revoked = { ...object, modified: '2025-03-05T00:00:00.000001Z', revoked: true };
    const res = await t.post(`${uk}/objects/`, { objects: [revoked] });
    expect(res.body.successes).toEqual([{ id: object.id, version: revoked.modified, message: 'revoked' }]);
    expect(await held(object.id)).toEqual([revoked]);
  });
});
