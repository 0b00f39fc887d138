import { generateApiKey } from '@srs/core';
import { ApiKeysRepository } from '@srs/db';
import {
  createTestDatabase,
  eventually,
  freePort,
  kannelInstalled,
  kannelRepliesTo,
  startKannel,
  startRedisCluster,
  startService,
  testMsisdn,
  uniqueSuffix,
  waitForHttp,
  type KannelHarness,
  type RedisClusterHarness,
  type ServiceProcess,
  type TestDatabase,
} from '@srs/testkit';

const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;
const PER_MINUTE = 3;
const KEY_PER_MINUTE = 4;

/**
 * The same code on a real three-master Redis Cluster: Kannel → intake →
 * inbox partitions (hash-tagged streams) → worker → PostgreSQL, replies back
 * through Kannel (BullMQ, hash-tagged, when the gateway is slow), with the
 * subscriber's conversation state, timers and rate limits all in the cluster. REDIS_URL points nowhere, so nothing can quietly use a
 * single Redis instead.
 */
describe('on a Redis Cluster', () => {
  let cluster: RedisClusterHarness;
  let db: TestDatabase;
  let intake: ServiceProcess;
  let worker: ServiceProcess;
  let sharing: ServiceProcess;
  let stats: ServiceProcess;
  let sharingUrl: string;
  let statsUrl: string;
  let kannel: KannelHarness;
  const prefix = `srs-cluster-${uniqueSuffix()}`;

  beforeAll(async () => {
    if (!kannelInstalled()) throw new Error('Kannel is not installed: apt-get install kannel kannel-extras (npm test does)');
    [cluster, db] = await Promise.all([startRedisCluster(3), createTestDatabase()]);
    const [intakePort, workerPort, sharingPort, statsPort, nowhere] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    sharingUrl = `http://127.0.0.1:${sharingPort}`;
    statsUrl = `http://127.0.0.1:${statsPort}`;
    const intakeUrl = `http://127.0.0.1:${intakePort}`;
    kannel = await startKannel(`${intakeUrl}/v1/gateways/kannel/mo?from=%p&to=%P&text=%a&id=%I&smsc=%i&coding=%c&ts=%t`, 'get');
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${nowhere}`,
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      QUEUE_PREFIX: prefix,
      INTAKE_PORT: String(intakePort),
      WORKER_HEALTH_PORT: String(workerPort),
      KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
      SHARING_PORT: String(sharingPort),
      STATS_PORT: String(statsPort),
      RATE_LIMIT_REPORTER_PER_MINUTE: String(PER_MINUTE),
      SHARING_RATE_LIMIT_PER_MINUTE: String(KEY_PER_MINUTE),
      STATS_RATE_LIMIT_PER_MINUTE: String(KEY_PER_MINUTE),
      LOG_LEVEL: 'info',
    };
    intake = startService('intake', env);
    worker = startService('worker', env);
    // The worker migrates the database; the others start once it is ready.
    await Promise.all([
      waitForHttp(`${intakeUrl}/readyz`, 30_000, intake),
      waitForHttp(`http://127.0.0.1:${workerPort}/readyz`, 30_000, worker),
    ]);
    sharing = startService('sharing-api', env);
    stats = startService('stats', env);
    await Promise.all([waitForHttp(`${sharingUrl}/readyz`, 30_000, sharing), waitForHttp(`${statsUrl}/readyz`, 30_000, stats)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([intake?.terminate(), worker?.terminate(), sharing?.terminate(), stats?.terminate()]);
    await kannel?.stop();
    await cluster?.stop();
    await db?.drop();
  });

  const repliesTo = (lines: string[], msisdn: string) => kannelRepliesTo(lines, msisdn).map((r) => r.text);
  const report = async (reference: string) => (await db.pool.query('SELECT * FROM reports WHERE reference = $1', [reference])).rows[0];

  it('carries a conversation over two messages: the spam text, then its sender', async () => {
    const msisdn = testMsisdn();
    const text = 'Your card is blocked, call now to unlock it or visit http://unlock-card.example/a';
    const mt = await kannel.converse([`${msisdn} 7726 text ${text}`, 'sleep 2', `${msisdn} 7726 text 07700 900777`], 8);
    const [ask, confirm] = repliesTo(mt, msisdn);
    expect(ask).toMatch(/number or name/);
    const reference = REFERENCE.exec(ask!)![1]!;
    expect(confirm).toContain(reference);
    expect(await report(reference)).toMatchObject({
      body: text,
      gateway: 'kannel',
      sender_kind: 'msisdn',
      sender_value: '+447700900777',
      completion: 'sender',
    });
  });

  it('shares the subscriber rate limit: past it, one polite warning and nothing more is stored', async () => {
    const msisdn = testMsisdn();
    const lines = Array.from(
      { length: PER_MINUTE + 3 },
      (_, i) => `${msisdn} 7726 text spam AMAZON Parcel ${i} held, pay at http://parcel-fee.example/${i}`,
    );
    const mt = await kannel.converse(lines, 8);
    const replies = repliesTo(mt, msisdn);
    expect(replies.filter((r) => /wait a while/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => REFERENCE.test(r))).toHaveLength(PER_MINUTE);
    const stored = await eventually(
      async () =>
        (
          await db.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM reports WHERE body LIKE 'Parcel % held%' AND sender_value = 'AMAZON'",
          )
        ).rows[0]!.n,
      (n) => n >= PER_MINUTE,
    );
    expect(stored).toBe(PER_MINUTE);
  });

  it("keeps each queue and each partition of the inbox in one slot, and each subscriber's keys under their partition's hash tag", async () => {
    const keysOn = async (node: string) => (await cluster.cli(node, '--scan', '--pattern', `${prefix}:*`)).split('\n').filter(Boolean);
    const byNode = await Promise.all(cluster.nodes.map(keysOn));
    const all = byNode.flat();
    const holders = (tag: string) => byNode.filter((keys) => keys.some((k) => k.startsWith(`${prefix}:{${tag}}:`))).length;
    expect({ queue: 'outbound-sms', nodes: holders('outbound-sms') }).toEqual({ queue: 'outbound-sms', nodes: 1 });
    const partitions = [...new Set(all.flatMap((k) => /:\{(inbox-\d+)\}:/.exec(k)?.[1] ?? []))];
    expect(partitions.length).toBeGreaterThan(1);
    for (const tag of partitions) expect({ tag, nodes: holders(tag) }).toEqual({ tag, nodes: 1 });
    // The partitions spread over the masters.
    expect(byNode.filter((keys) => keys.some((k) => k.includes(':{inbox-'))).length).toBeGreaterThan(1);
    // Every subscriber key carries its partition as its hash tag and the pseudonym, never the number.
    const subscriberKeys = all.filter((k) => /:(conv|seen|optout):/.test(k));
    expect(subscriberKeys.length).toBeGreaterThan(0);
    for (const key of subscriberKeys) expect(key).toMatch(/:\{inbox-\d+\}:(conv|seen|optout):/);
    expect(all.join('\n')).not.toMatch(/447700900\d{3}/);
  });

  it('runs the sharing API and the statistics on the cluster too, their per-key limits included', async () => {
    const keys = new ApiKeysRepository(db.pool);
    const operator = generateApiKey();
    const regulator = generateApiKey();
    await keys.create({
      id: `key_${uniqueSuffix()}`,
      operatorId: 'demo-uk',
      name: 'cluster test',
      prefix: operator.prefix,
      hash: operator.hash,
      scopes: ['read'],
    });
    await keys.create({
      id: `key_${uniqueSuffix()}`,
      regulatorId: 'demo-regulator',
      name: 'cluster test',
      prefix: regulator.prefix,
      hash: regulator.hash,
      scopes: ['stats'],
    });
    for (const [url, key] of [
      [`${sharingUrl}/v1/indicators`, operator.key],
      [`${statsUrl}/v1/stats/summary`, regulator.key],
    ] as const) {
      const statuses: number[] = [];
      for (let i = 0; i < KEY_PER_MINUTE + 1; i++)
        statuses.push((await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status);
      expect({ url, statuses }).toEqual({ url, statuses: [...Array<number>(KEY_PER_MINUTE).fill(200), 429] });
    }
  });

  it('writes no subscriber number to the logs of any service', () => {
    const logs = [intake, worker, sharing, stats].map((s) => s.output()).join('\n');
    expect(logs).toContain('report updated');
    expect(logs).not.toMatch(/7700900\d{3}/);
  });
});
