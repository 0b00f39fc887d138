import { uniqueSuffix } from '@srs/testkit';
import { operatorCollectionId } from '../src/taxii/collections';
import { startSharingService, type SharingService } from './attack-harness';
import { stixIndicator } from './taxii-harness';

const objectsOf = (run: string, n: number) =>
  Array.from({ length: n }, (_, i) => stixIndicator(`[domain-name:value = 'bulk-${run}-${i}.example']`));

/**
 * Issue 24 finding 6f: the per-key limit counted TAXII requests, so one POST
 * of 1,000 objects bought 1,000 objects of server work for one unit of the budget.
 */
describe('TAXII add_objects and the per-key budget', () => {
  let service: SharingService;
  const uk = `/taxii2/api/collections/${operatorCollectionId('demo-uk')}/objects/`;
  beforeAll(async () => {
    service = await startSharingService({ SHARING_RATE_LIMIT_PER_MINUTE: '60', SHARING_TAXII_MAX_OBJECTS: '40' });
  });
  afterAll(() => service.close());

  const published = async (run: string) =>
    Number((await service.db.pool.query(`SELECT count(*) FROM published_indicators WHERE value LIKE $1`, [`bulk-${run}-%`])).rows[0].count);

  it('refuses an envelope of 1,000 objects with 413 naming the maximum, before doing any of the work', async () => {
    const key = await service.key('demo-uk', ['read', 'publish']);
    const run = uniqueSuffix();
    const res = await service.taxiiPost(uk, { objects: objectsOf(run, 1000) }, key);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      error_code: 'too_many_objects',
      details: { field: 'objects' },
      description: expect.stringContaining('40'),
      error_id: expect.any(String),
    });
    expect(await published(run)).toBe(0);
  });

  it('counts every object of an envelope against the key budget, so a key cannot buy many objects of work with few requests', async () => {
    const key = await service.key('demo-uk', ['read', 'publish']);
    const run = uniqueSuffix();
    const first = await service.taxiiPost(uk, { objects: objectsOf(run, 40) }, key);
    expect(first.status).toBe(202);
    // 40 of the 60 units a minute are spent: 40 more objects are over the budget, and none of them is published.
    const second = await service.taxiiPost(uk, { objects: objectsOf(`${run}-b`, 40) }, key);
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toMatch(/^\d+$/);
    expect(second.body).toMatchObject({ error_code: 'rate_limited', http_status: '429', error_id: expect.any(String) });
    expect(await published(`${run}-b`)).toBe(0);
    // Another key of the same operator has its own budget.
    const other = await service.key('demo-uk', ['read', 'publish']);
    expect((await service.taxiiPost(uk, { objects: objectsOf(`${run}-c`, 10) }, other)).status).toBe(202);
  });
});
