import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createSharingApp } from '../src/app';
import { startUnbound, type UnboundResolver } from './unbound-resolver';

const RPZ = 'rpz.srs.invalid';
const serialOf = (zone: string) => Number(/ IN SOA \S+ \S+ (\d+) /.exec(zone)![1]);

describe('DNS firewall feed (RPZ)', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  const log = capturingLogger('sharing');
  const keys: Record<string, { key: string; id: string }> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    const repo = new ApiKeysRepository(db.pool);
    const make = async (name: string, operatorId: string, scopes: ApiScope[]) => {
      const k = generateApiKey();
      const id = `key_${name}_${uniqueSuffix()}`;
      await repo.create({ id, operatorId, name, prefix: k.prefix, hash: k.hash, scopes });
      keys[name] = { key: k.key, id };
    };
    await make('uk', 'demo-uk', ['read', 'publish', 'feedback']);
    await make('fr', 'demo-fr', ['read']);
    await make('frRevoked', 'demo-fr', ['read']);
    await make('frPublisher', 'demo-fr', ['publish']);
    const config = testConfig({ DATABASE_URL: db.url });
    redis = createRedis(config.redis.url, 'producer');
    server = await listen(createSharingApp({ config, logger: log.logger, pool: db.pool, redis }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const as = (who: string) => ({
    get: (path: string) => request(server.url).get(path).set('authorization', `Bearer ${keys[who]!.key}`),
    post: (path: string, body: object) => request(server.url).post(path).set('authorization', `Bearer ${keys[who]!.key}`).send(body),
  });
  const tokenOf = async (who: string): Promise<string> => {
    const res = await as(who).get('/v1/rpz/token');
    expect(res.status).toBe(200);
    return res.body.token as string;
  };
  const zoneText = async (query: string) => {
    const res = await request(server.url)
      .get(`/v1/rpz/zone?${query}`)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    return {
      status: res.status,
      text: res.body as string,
      etag: res.headers.etag as string | undefined,
      type: res.headers['content-type'],
    };
  };

  describe('with a real Unbound loading the zone by URL', () => {
    let unbound: UnboundResolver;
    const domain = `smish-${uniqueSuffix()}.example.com`;
    afterAll(async () => unbound?.stop());

    it('answers NXDOMAIN for a shared smishing domain and its subdomains, and resolves them again once the indicator is withdrawn', async () => {
      const published = await as('uk').post('/v1/indicators', { type: 'domain', value: domain, category: 'smishing', tlp: 'green' });
      expect(published.status).toBe(201);
      const token = await tokenOf('fr');
      unbound = await startUnbound({
        rpzName: RPZ,
        rpzUrl: `${server.url}/v1/rpz/zone?token=${token}&zone=${RPZ}&refresh=3600`,
        normalZone: 'example.com',
        normalRecords: [`${domain}. IN A 192.0.2.10`, `www.${domain}. IN A 192.0.2.11`, `clean.example.com. IN A 192.0.2.12`],
      });
      expect(
        await eventually(
          () => unbound.resolve4(domain),
          (a) => a === 'ENOTFOUND',
        ),
      ).toBe('ENOTFOUND');
      expect(await unbound.resolve4(`www.${domain}`)).toBe('ENOTFOUND');
      expect(await unbound.resolve4('clean.example.com')).toEqual(['192.0.2.12']);

      // Its publisher disputes it: a false positive from the publisher revokes its own indicator.
      const withdrawn = await as('uk').post('/v1/sightings', { indicator_id: published.body.id, kind: 'false_positive' });
      expect(withdrawn.status).toBeLessThan(300);
      unbound.refreshZone();
      expect(
        await eventually(
          () => unbound.resolve4(domain),
          (a) => Array.isArray(a),
        ),
      ).toEqual(['192.0.2.10']);
      expect(await unbound.resolve4(`www.${domain}`)).toEqual(['192.0.2.11']);
    });
  });

  it("gives each operator what its feed shows: another operator's TLP:RED stays with its publisher, its own is in its zone", async () => {
    const red = `red-${uniqueSuffix()}.example.com`;
    expect((await as('uk').post('/v1/indicators', { type: 'domain', value: red, category: 'fraud', tlp: 'red' })).status).toBe(201);
    const uk = await zoneText(`token=${await tokenOf('uk')}`);
    const fr = await zoneText(`token=${await tokenOf('fr')}`);
    expect(uk.text).toContain(`\n${red}.${RPZ}. IN CNAME .\n`);
    expect(fr.text).not.toContain(red);
    const amberOrBelow = await as('uk').get('/v1/rpz/zone?max_tlp=amber');
    expect(amberOrBelow.status).toBe(200);
    expect(amberOrBelow.text).not.toContain(red);
  });

  it('grows the serial with a share and with a withdrawal, keeps it while nothing changes, and answers an unchanged zone 304', async () => {
    const token = await tokenOf('fr');
    const first = await zoneText(`token=${token}`);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^text\/dns/);
    const again = await zoneText(`token=${token}`);
    expect(serialOf(again.text)).toBe(serialOf(first.text));
    const unchanged = await request(server.url).get(`/v1/rpz/zone?token=${token}`).set('if-none-match', first.etag!);
    expect(unchanged.status).toBe(304);

    const name = `pay-${uniqueSuffix()}.example.com`;
    const shared = await as('uk').post('/v1/indicators', {
      type: 'url',
      value: `https://${name}/parcel?id=1`,
      category: 'smishing',
      tlp: 'amber',
    });
    const afterShare = await zoneText(`token=${token}`);
    expect(afterShare.text).toContain(`\n${name}.${RPZ}. IN CNAME .\n`);
    expect(serialOf(afterShare.text)).toBeGreaterThan(serialOf(first.text));
    expect(afterShare.etag).not.toBe(first.etag);
    expect((await request(server.url).get(`/v1/rpz/zone?token=${token}`).set('if-none-match', first.etag!)).status).toBe(200);

    await as('uk').post('/v1/sightings', { indicator_id: shared.body.id, kind: 'false_positive' });
    const afterWithdrawal = await zoneText(`token=${token}`);
    expect(afterWithdrawal.text).not.toContain(name);
    expect(serialOf(afterWithdrawal.text)).toBeGreaterThan(serialOf(afterShare.text));
  });

  it('answers a walled garden with its addresses and writes internationalised domains in punycode', async () => {
    expect(
      (await as('uk').post('/v1/indicators', { type: 'domain', value: 'paket-bücher-zoll.de', category: 'smishing', tlp: 'green' })).status,
    ).toBe(201);
    const zone = await zoneText(`token=${await tokenOf('fr')}&zone=rpz.operator.example&walled_garden=192.0.2.80,2001:db8::80`);
    expect(zone.text).toContain('\nxn--paket-bcher-zoll-pzb.de.rpz.operator.example. IN A 192.0.2.80\n');
    expect(zone.text).toContain('\n*.xn--paket-bcher-zoll-pzb.de.rpz.operator.example. IN AAAA 2001:db8::80\n');
    expect(zone.text).toContain('rpz.operator.example. IN SOA');
    expect(zone.text).not.toContain('CNAME');
    expect((await zoneText(`token=${await tokenOf('fr')}&walled_garden=192.0.2.80,192.0.2.81`)).status).toBe(400);
  });

  it('keeps the token out of the access log and the audit log, and refuses it once its key is revoked', async () => {
    const token = await tokenOf('frRevoked');
    expect((await zoneText(`token=${token}`)).status).toBe(200);
    await new ApiKeysRepository(db.pool).revoke(keys.frRevoked!.id);
    const refused = await zoneText(`token=${token}`);
    expect(refused.status).toBe(401);
    expect(log.lines.some((l) => l.includes('/v1/rpz/zone'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(token);
    const audited = () => db.pool.query<{ path: string }>(`SELECT path FROM audit_log WHERE key_id = $1`, [keys.frRevoked!.id]);
    const { rows } = await eventually(audited, (r) => r.rows.some((row) => row.path === '/v1/rpz/zone'));
    expect(rows.map((r) => r.path)).toContain('/v1/rpz/zone');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('takes a token on the zone only, not as a key anywhere else, and refuses a token forged or of a key without the read scope', async () => {
    const token = await tokenOf('fr');
    expect((await request(server.url).get('/v1/indicators').set('authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await request(server.url).get(`/v1/indicators?token=${token}`)).status).toBe(401);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await zoneText(`token=${forged}`)).status).toBe(401);
    expect((await request(server.url).get('/v1/rpz/zone')).status).toBe(401);
    expect((await as('frPublisher').get('/v1/rpz/token')).status).toBe(403);
  });
});
