import { randomUUID } from 'node:crypto';
import { uniqueSuffix } from '@srs/testkit';
import { CONSORTIUM_COLLECTION_ID, operatorCollectionId } from '../src/taxii/collections';
import { expectValidStix } from './taxii-stix-schemas';
import { startTaxii, stixIndicator, TLP_RED, type TaxiiHarness } from './taxii-harness';

const ROOT = '/taxii2/api';
const uk = `${ROOT}/collections/${operatorCollectionId('demo-uk')}`;
const fr = `${ROOT}/collections/${operatorCollectionId('demo-fr')}`;
describe('TAXII 2.1 POST', () => {
  let t: TaxiiHarness;
  beforeAll(async () => {
    t = await startTaxii();
  });
  afterAll(async () => {
    await t.close();
  });

  async function objectsOf(collection: string, key = t.keys.ukRead) {
    const res = await t.get(`${collection}/objects/?match[type]=indicator&limit=1000`, key);
    return (res.body.objects ?? []) as Array<{
      id: string;
      pattern: string;
      modified: string;
      confidence: number;
      object_marking_refs: string[];
      revoked?: boolean;
    }>;
  }

  it("adds an operator's indicators to its own collection and answers with a complete status", async () => {
    const run = uniqueSuffix();
    const domain = stixIndicator(`[domain-name:value = 'Fee-${run}.example']`);
    const sender = stixIndicator(`[sender-id:value = 'parcels' AND sender-id:sender_type = 'alphanumeric']`);
    const res = await t.post(`${uk}/objects/`, { objects: [domain, sender] });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(res.body).toMatchObject({
      status: 'complete',
      total_count: 2,
      success_count: 2,
      failure_count: 0,
      pending_count: 0,
      successes: [
        { id: domain.id, version: domain.modified },
        { id: sender.id, version: sender.modified },
      ],
    });
    const status = await t.get(`${ROOT}/status/${res.body.id}/`);
    expect(status.body).toEqual(res.body);

    // Served as sent; the feeds and matching read the value in the canonical form POST /v1/indicators uses.
    const served = await objectsOf(uk, t.keys.frRead);
    expect(served.find((o) => o.id === domain.id)).toEqual(domain);
    expect(served.find((o) => o.id === sender.id)).toEqual(sender);
    const { rows } = await t.db.pool.query<{ value: string }>(
      `SELECT value FROM published_indicators WHERE client_id = ANY($1) ORDER BY type`,
      [[domain.id, sender.id]],
    );
    expect(rows.map((r) => r.value)).toEqual([`fee-${run}.example`, 'PARCELS']);
    expectValidStix(served);
  });

  it('is idempotent on the STIX id: the same object again adds no version, a changed one adds one', async () => {
    const run = uniqueSuffix();
    const indicator = stixIndicator(`[url:value = 'http://fee-${run}.example/pay']`);
    await t.post(`${uk}/objects/`, { objects: [indicator] });
    const before = await t.get(`${uk}/manifest/?match[id]=${indicator.id}`);
    const again = await t.post(`${uk}/objects/`, { objects: [indicator] });
    expect(again.body.successes).toEqual([{ id: indicator.id, version: indicator.modified, message: 'unchanged' }]);
    const after = await t.get(`${uk}/manifest/?match[id]=${indicator.id}`);
    expect(after.body).toEqual(before.body);

    const changed = await t.post(`${uk}/objects/`, { objects: [{ ...indicator, confidence: 99, modified: '2025-03-02T10:00:00.000Z' }] });
    expect(changed.body.successes[0].message).toBe('updated');
    const latest = await t.get(`${uk}/manifest/?match[id]=${indicator.id}`);
    expect(latest.body.objects[0].date_added > before.body.objects[0].date_added).toBe(true);
    expect((await objectsOf(uk)).find((o) => o.id === indicator.id)?.confidence).toBe(99);
  });

  it('revokes what the operator published when it sends the object revoked', async () => {
    const indicator = stixIndicator(`[phone-number:value = '+447700900777']`);
    await t.post(`${uk}/objects/`, { objects: [indicator] });
    const res = await t.post(`${uk}/objects/`, { objects: [{ ...indicator, revoked: true, modified: '2025-03-03T00:00:00.000Z' }] });
    expect(res.body.successes).toEqual([{ id: indicator.id, version: '2025-03-03T00:00:00.000Z', message: 'revoked' }]);
    expect((await objectsOf(uk)).find((o) => o.id === indicator.id)?.revoked).toBe(true);
  });

  it('keeps TLP:RED indicators with their publisher', async () => {
    const red = stixIndicator(`[domain-name:value = 'red-${uniqueSuffix()}.example']`, { object_marking_refs: [TLP_RED] });
    expect((await t.post(`${uk}/objects/`, { objects: [red] })).body.success_count).toBe(1);
    expect((await objectsOf(uk, t.keys.ukRead)).map((o) => o.id)).toContain(red.id);
    expect((await objectsOf(uk, t.keys.frRead)).map((o) => o.id)).not.toContain(red.id);
  });

  it('reports each object it cannot take as a failure, and takes the others', async () => {
    const good = stixIndicator(`[domain-name:value = 'ok-${uniqueSuffix()}.example']`);
    const unmarked = stixIndicator(`[domain-name:value = 'unmarked.example']`, { object_marking_refs: undefined });
    const complex = stixIndicator(`[domain-name:value LIKE '%.example']`);
    const badValue = stixIndicator(`[phone-number:value = 'call me']`);
    const notIndicator = {
      type: 'malware',
      spec_version: '2.1',
      id: `malware--${randomUUID()}`,
      created: '2025-03-01T10:00:00.000Z',
      modified: '2025-03-01T10:00:00.000Z',
    };
    const res = await t.post(`${uk}/objects/`, { objects: [good, unmarked, complex, badValue, notIndicator] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: 5, success_count: 1, failure_count: 4 });
    expect(res.body.failures).toEqual([
      { id: unmarked.id, version: unmarked.modified, message: expect.stringContaining('TLP') },
      { id: complex.id, version: complex.modified, message: expect.stringContaining('pattern') },
      { id: badValue.id, version: badValue.modified, message: expect.stringContaining('value') },
      { id: notIndicator.id, version: notIndicator.modified, message: expect.stringContaining('only indicators') },
    ]);
  });

  it("refuses to write to the consortium's or another operator's collection, or without the publish scope", async () => {
    const body = { objects: [stixIndicator(`[domain-name:value = 'x-${uniqueSuffix()}.example']`)] };
    expect((await t.post(`${ROOT}/collections/${CONSORTIUM_COLLECTION_ID}/objects/`, body)).status).toBe(403);
    expect((await t.post(`${fr}/objects/`, body)).status).toBe(403);
    expect((await t.post(`${uk}/objects/`, body, t.keys.ukRead)).status).toBe(403);
    expect((await t.post(`${fr}/objects/`, body, t.keys.frPublishOnly)).status).toBe(202);
  });

  it('answers an envelope without objects with 400 naming the field', async () => {
    const res = await t.post(`${uk}/objects/`, { objects: [] });
    expect(res.status).toBe(400);
    expect(res.body.details.field).toBe('objects');
  });

  it("keeps a status with the operator that posted: another's is not found", async () => {
    const res = await t.post(`${uk}/objects/`, { objects: [stixIndicator(`[domain-name:value = 's-${uniqueSuffix()}.example']`)] });
    expect((await t.get(`${ROOT}/status/${res.body.id}/`, t.keys.frRead)).status).toBe(404);
    expect((await t.get(`${ROOT}/status/not-a-uuid/`)).status).toBe(404);
  });
});
