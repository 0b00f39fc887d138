import { randomUUID } from 'node:crypto';
import { generateApiKey, sealPeerSecret, type Tlp } from '@srs/core';
import { ApiKeysRepository, FederationRepository, ParticipantsRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { PeerPull } from '../../services/worker/src/federation/peer-pull';

/** One deployment: its own database and sharing API, and its worker's pull of its peers, run in process. */
interface Deployment {
  name: string;
  db: TestDatabase;
  config: ReturnType<typeof testConfig>;
  sharing: RunningServer;
  /** an operator of this deployment, publishing and reading its feed */
  operatorKey: string;
  pull: PeerPull;
}

/** Pages of two objects, so every collection takes several pages. */
const PAGE = 2;

describe('federation: two deployments, each pulling the other', () => {
  let redis: RedisClient;
  let a: Deployment;
  let b: Deployment;

  async function key(db: TestDatabase, operatorId: string, scopes: ApiScope[]): Promise<string> {
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({
      id: `key_${uniqueSuffix()}`,
      operatorId,
      name: 'test',
      prefix: k.prefix,
      hash: k.hash,
      scopes,
    });
    return k.key;
  }

  async function deployment(name: string): Promise<Deployment> {
    const db = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: db.url, SHARING_ID_KEY: `federation-test-id-key-of-deployment-${name}` });
    const sharing = await listen(
      createSharingApp({ config, logger: capturingLogger(`sharing-${name}`).logger, pool: db.pool, redis }),
      0,
      '127.0.0.1',
    );
    const pull = new PeerPull({
      repository: new FederationRepository(db.pool),
      deploymentKey: config.privacy.msisdnEncryptionKey,
      logger: capturingLogger(`pull-${name}`).logger,
      intervalMs: 60_000,
      pageLimit: PAGE,
    });
    return { name, db, config, sharing, operatorKey: await key(db, 'demo-uk', ['read', 'publish']), pull };
  }

  /** `from` gives `to` a participant and a read key; `to` pulls every collection of `from` it may read. */
  async function peer(to: Deployment, from: Deployment, grant: Tlp): Promise<void> {
    const participant = `deployment-${to.name}`;
    await new ParticipantsRepository(from.db.pool).upsertOperator({ id: participant, name: `Deployment ${to.name}`, country: 'FR' });
    const secret = await key(from.db, participant, ['read']);
    await new FederationRepository(to.db.pool).addPeer({
      name: from.name,
      displayName: `Deployment ${from.name}`,
      country: 'GB',
      apiRoot: `${from.sharing.url}/taxii2/api/`,
      collectionId: null,
      authKind: 'bearer',
      username: null,
      secretSealed: sealPeerSecret(secret, to.config.privacy.msisdnEncryptionKey),
      tlpGrant: grant,
      intervalSeconds: 300,
    });
  }

  async function publish(d: Deployment, body: Record<string, unknown>): Promise<void> {
    await request(d.sharing.url)
      .post('/v1/indicators')
      .set('Authorization', `Bearer ${d.operatorKey}`)
      .send({ category: 'smishing', confidence: 0.9, ...body })
      .expect((res) => expect([200, 201]).toContain(res.status));
  }

  async function feed(d: Deployment): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await request(d.sharing.url)
        .get('/v1/indicators')
        .query({ limit: 100, ...(cursor ? { cursor } : {}) })
        .set('Authorization', `Bearer ${d.operatorKey}`)
        .expect(200);
      rows.push(...(res.body.data as Array<Record<string, unknown>>));
      if (!res.body.has_more) return rows;
      cursor = res.body.next as string;
    }
  }

  const TAXII = 'application/taxii+json;version=2.1';
  const taxii = (d: Deployment, method: 'get' | 'post', path: string) =>
    request(d.sharing.url)[method](`/taxii2/api/${path}`).set('Accept', TAXII).set('Authorization', `Bearer ${d.operatorKey}`);

  /** The publisher revokes its indicator as a TAXII client would: a later version with `revoked: true`. */
  async function revokeOverTaxii(d: Deployment, value: string): Promise<void> {
    const collections = (await taxii(d, 'get', 'collections/').expect(200)).body.collections as Array<{ id: string; can_write: boolean }>;
    const own = collections.find((c) => c.can_write)!;
    const objects = (await taxii(d, 'get', `collections/${own.id}/objects/?match[type]=indicator`).expect(200)).body.objects as Array<
      Record<string, unknown>
    >;
    const current = objects.find((o) => String(o.pattern).includes(value))!;
    const revoked = { ...current, revoked: true, modified: new Date(Date.parse(current.modified as string) + 1000).toISOString() };
    const status = await taxii(d, 'post', `collections/${own.id}/objects/`)
      .set('Content-Type', TAXII)
      .send(JSON.stringify({ objects: [revoked] }))
      .expect(202);
    expect(status.body).toMatchObject({ success_count: 1, failure_count: 0 });
  }

  /** The indicator for `value` in whichever of the deployment's collections holds it. */
  async function taxiiObject(d: Deployment, value: string): Promise<Record<string, unknown> | undefined> {
    const collections = (await taxii(d, 'get', 'collections/').expect(200)).body.collections as Array<{ id: string }>;
    for (const collection of collections) {
      const objects = (await taxii(d, 'get', `collections/${collection.id}/objects/?match[type]=indicator`).expect(200)).body.objects as
        Array<Record<string, unknown>> | undefined;
      const found = objects?.find((o) => String(o.pattern).includes(value));
      if (found) return found;
    }
    return undefined;
  }

  async function pullAll(d: Deployment) {
    const [result] = await d.pull.runOnce({ all: true });
    expect(result!.error).toBeUndefined();
    return result!.counts;
  }

  beforeAll(async () => {
    const config = testConfig({});
    redis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    a = await deployment('a');
    b = await deployment('b');
    await peer(b, a, 'green');
    await peer(a, b, 'green');
  });

  afterAll(async () => {
    for (const d of [a, b].filter(Boolean)) {
      await d.sharing.close(1000);
      await d.db.drop();
    }
    redis.disconnect();
  });

  const domain = `fee-${uniqueSuffix()}.example`;

  it("offers an indicator shared on A to B's operators with source peer:a, once", async () => {
    // its own STIX id, as a TAXII client publishing it would choose, so it can revoke it over TAXII
    await publish(a, { id: `indicator--${randomUUID()}`, type: 'domain', value: domain, tlp: 'green' });
    expect((await pullAll(b)).imported).toBe(1);
    const copies = (await feed(b)).filter((r) => r.value === domain);
    expect(copies).toEqual([expect.objectContaining({ source: 'peer:a', tlp: 'green', type: 'domain', status: 'active', shared: true })]);

    // B's operators get A's object over TAXII as A sent it, its creator (A's operator) included.
    expect(await taxiiObject(b, domain)).toEqual(await taxiiObject(a, domain));

    expect(await pullAll(b)).toEqual({ imported: 0, updated: 0, withheld: 0, unchanged: 0, 'held-elsewhere': 0 });
    expect((await feed(b)).filter((r) => r.value === domain)).toHaveLength(1);
  });

  it('does not bring the indicator back to A, where it came from', async () => {
    const before = await feed(a);
    const counts = await pullAll(a);
    expect(counts.imported).toBe(0);
    expect(counts['held-elsewhere']).toBe(1);
    const after = await feed(a);
    expect(after.filter((r) => r.value === domain)).toEqual([expect.objectContaining({ source: 'demo-uk' })]);
    expect(after).toHaveLength(before.length);
  });

  it("withdraws B's copy at the next pull once A revokes it", async () => {
    await revokeOverTaxii(a, domain);
    expect((await pullAll(b)).updated).toBe(1);
    expect((await feed(b)).filter((r) => r.value === domain)).toEqual([
      expect.objectContaining({ source: 'peer:a', status: 'revoked', shared: false }),
    ]);
  });

  it("keeps a TLP:AMBER indicator from a peer that granted GREEN, but never offers it to B's operators", async () => {
    const amber = `amber-${uniqueSuffix()}.example`;
    await publish(a, { id: 'amber-1', type: 'domain', value: amber, tlp: 'amber' });
    expect((await pullAll(b)).withheld).toBe(1);
    expect((await feed(b)).filter((r) => r.value === amber)).toEqual([]);
    const taxii = await request(b.sharing.url)
      .get('/taxii2/api/collections/')
      .set('Accept', 'application/taxii+json;version=2.1')
      .set('Authorization', `Bearer ${b.operatorKey}`)
      .expect(200);
    for (const collection of taxii.body.collections as Array<{ id: string }>) {
      const objects = await request(b.sharing.url)
        .get(`/taxii2/api/collections/${collection.id}/objects/`)
        .set('Accept', 'application/taxii+json;version=2.1')
        .set('Authorization', `Bearer ${b.operatorKey}`)
        .expect(200);
      expect(JSON.stringify(objects.body)).not.toContain(amber);
    }
    const [listed] = await new FederationRepository(b.db.pool).listPeers();
    expect(listed).toMatchObject({ name: 'a', withheld: 1 });
  });

  it("withdraws B's copy when a newer version of the peer's indicator goes above the grant", async () => {
    const regraded = `regraded-${uniqueSuffix()}.example`;
    await publish(a, { id: 'regraded-1', type: 'domain', value: regraded, tlp: 'green' });
    expect((await pullAll(b)).imported).toBe(1);
    await publish(a, { id: 'regraded-1', type: 'domain', value: regraded, tlp: 'amber' });
    expect((await pullAll(b)).withheld).toBe(1);
    expect((await feed(b)).filter((r) => r.value === regraded)).toEqual([
      expect.objectContaining({ source: 'peer:a', tlp: 'green', status: 'expired', shared: false }),
    ]);
  });

  it('follows the peer across pages', async () => {
    const values = Array.from({ length: 5 }, (_, i) => `paged-${i}-${uniqueSuffix()}.example`);
    for (const [i, value] of values.entries()) await publish(a, { id: `paged-${i}`, type: 'domain', value, tlp: 'clear' });
    expect((await pullAll(b)).imported).toBe(values.length);
    const offered = (await feed(b)).filter((r) => values.includes(r.value as string));
    expect(offered).toHaveLength(values.length);
    expect(offered.every((r) => r.source === 'peer:a' && r.tlp === 'clear')).toBe(true);
  });
});
