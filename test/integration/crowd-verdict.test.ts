import { campaignIncrements, generateApiKey, reportIncrements, type TextClassification } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, QUEUES, queueOptions, ReportsQueue, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, testConfig, testMsisdn, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { Queue } from 'bullmq';
import request from 'supertest';
import { startIntakeServer } from '../../services/intake/src/server';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { startWorkers, type RunningWorkers } from '../../services/worker/src/workers';

/**
 * Issue 25, point 1: the reports are the strongest evidence. The classifier
 * here calls every text genuine (as a model does with spam in a language or
 * style it never saw), so what is shared is decided by the subscribers who
 * report, on which networks, from which senders, and by operator feedback.
 */
const genuineToTheModel = (): TextClassification => ({
  spam: false,
  category: 'not_spam',
  confidence: 0.98,
  language: 'zh',
  probability: 0.02,
  spamCategory: 'marketing',
  lure: false,
  modelVersion: 'stub-genuine',
});

describe('a campaign\'s verdict comes from all the evidence, not from the classifier alone', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let workerRedis: RedisClient;
  let reportsQueue: ReportsQueue;
  let intake: RunningServer;
  let sharing: RunningServer;
  let workers: RunningWorkers;
  let config: ReturnType<typeof testConfig>;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig({
      DATABASE_URL: db.url,
      WORKER_CONCURRENCY: '4',
      STATS_ROLLUP_INTERVAL_MS: '200',
      ALLOWLIST: 'domain:royalmail.com,sender_alphanumeric:HSBC',
    });
    redis = createRedis(config.redis.url, 'producer');
    workerRedis = createRedis(config.redis.url, 'worker');
    reportsQueue = new ReportsQueue({ connection: redis, prefix: config.redis.prefix }, config.intake.dedupTtlSeconds);
    await eventually(() => redis.status, (s) => s === 'ready');
    intake = await startIntakeServer({ config, logger: capturingLogger('intake').logger, pool: db.pool, redis, reportsQueue }, 0);
    workers = startWorkers({ config, logger: capturingLogger('worker').logger, pool: db.pool, workerRedis, producerRedis: redis, classify: genuineToTheModel });
    sharing = await listen(createSharingApp({ config, logger: capturingLogger('sharing').logger, pool: db.pool, redis }), 0, '127.0.0.1');
    keys.ukApp = await key('demo-uk', ['report', 'attest']);
    keys.frApp = await key('demo-fr', ['report', 'attest']);
    keys.ukTeam = await key('demo-uk', ['read', 'feedback']);
    keys.frTeam = await key('demo-fr', ['read', 'feedback']);
  });

  afterAll(async () => {
    await workers.close();
    await intake.close(1000);
    await sharing.close(1000);
    await reportsQueue.queue.obliterate({ force: true });
    await new Queue(QUEUES.outbound, queueOptions({ connection: redis, prefix: config.redis.prefix }, QUEUES.outbound)).obliterate({ force: true });
    await reportsQueue.close();
    redis.disconnect();
    workerRedis.disconnect();
    await db.drop();
  });

  async function key(operatorId: string, scopes: ApiScope[]): Promise<string> {
    const k = generateApiKey();
    await new ApiKeysRepository(db.pool).create({ id: `key_${uniqueSuffix()}`, operatorId, name: 'team', prefix: k.prefix, hash: k.hash, scopes });
    return k.key;
  }

  /** One subscriber's report through the app API; resolves once the analyser has judged it. */
  async function report(appKey: string, sender: string, text: string): Promise<string> {
    const id = `crowd-${uniqueSuffix()}`;
    const res = await request(intake.url).post('/v1/reports').set('authorization', `Bearer ${appKey}`).send({ reporter: testMsisdn(), sender, id, text });
    expect(res.status).toBe(202);
    await eventually(
      async () => (await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = $1 AND analysed_at IS NOT NULL', [id])).rows[0].n,
      (n) => n === 1,
      30_000,
    );
    return id;
  }

  /** `n` subscribers, the first `onUk` of them on demo-uk and the rest on demo-fr. */
  async function reportedBy(n: number, onUk: number, sender: string, text: string): Promise<void> {
    for (let i = 0; i < n; i++) await report(i < onUk ? keys.ukApp! : keys.frApp!, sender, text);
  }

  async function feed(teamKey = keys.frTeam!): Promise<Array<{ id: string; value: string; shared: boolean }>> {
    const res = await request(sharing.url).get('/v1/indicators?limit=1000').set('authorization', `Bearer ${teamKey}`);
    expect(res.status).toBe(200);
    return res.body.data;
  }
  const sharedValues = async () => new Set((await feed()).filter((i) => i.shared).map((i) => i.value));

  async function campaignOf(text: string): Promise<{ id: number; spam: boolean; category: string; confidence: number; verdict_terms: Record<string, number> }> {
    const { rows } = await db.pool.query(
      `SELECT c.id::int AS id, c.spam, c.category, c.confidence, c.verdict_terms FROM campaigns c
        WHERE c.id = (SELECT campaign_id FROM reports WHERE body = $1 LIMIT 1)`,
      [text],
    );
    return rows[0];
  }

  /** The statistics, once every report is counted under its campaign's verdict, against a recount from the raw reports. */
  async function expectRollupsToMatchARecount(): Promise<void> {
    await eventually(
      async () =>
        (await db.pool.query(
          `SELECT (SELECT count(*) FROM reports WHERE stats_at IS NULL OR stats_category IS DISTINCT FROM category)::int
                + (SELECT count(*) FROM campaigns WHERE reporter_count >= 2 AND (stats_at IS NULL OR stats_category IS DISTINCT FROM category))::int AS n`,
        )).rows[0].n,
      (n) => n === 0,
      30_000,
      100,
    );
    const { rows: raw } = await db.pool.query(
      `SELECT r.operator_id AS "operatorId", o.country AS "operatorCountry", r.category, r.received_at AS "receivedAt", r.sender_kind AS "senderKind",
              r.sender_value AS "senderValue", COALESCE(r.link_kind, 'none') AS "linkKind", COALESCE(r.link_domains, '{}') AS "linkDomains"
         FROM reports r JOIN operators o ON o.id = r.operator_id`,
    );
    const recount = reportIncrements(raw).reports.map((c) => [c.grain, c.cuboid, c.bucket.toISOString(), c.operatorId, c.category, c.originCountry, c.senderType, c.linkKind, c.reports].join('|'));
    const { rows: rolled } = await db.pool.query(
      `SELECT grain, cuboid, bucket, operator_id, category, origin_country, sender_type, link_kind, reports FROM stats_reports WHERE reports <> 0`,
    );
    const stored = rolled.map((c) => [c.grain, c.cuboid, c.bucket.toISOString(), c.operator_id, c.category, c.origin_country, c.sender_type, c.link_kind, c.reports].join('|'));
    expect(stored.sort()).toEqual(recount.sort());

    const { rows: campaigns } = await db.pool.query(`SELECT category, first_seen AS "firstSeen" FROM campaigns WHERE reporter_count >= 2`);
    const campaignRecount = campaignIncrements(campaigns).map((c) => [c.grain, c.bucket.toISOString(), c.category, c.count].join('|'));
    const { rows: campaignRolled } = await db.pool.query(`SELECT grain, bucket, category, campaigns FROM stats_campaigns WHERE campaigns <> 0`);
    expect(campaignRolled.map((c) => [c.grain, c.bucket.toISOString(), c.category, c.campaigns].join('|')).sort()).toEqual(campaignRecount.sort());
  }

  const run = uniqueSuffix().replace(/[^a-z0-9]/gi, '').toLowerCase();
  const crowdText = `低息贷款，无抵押当天放款，额度最高50万，详情 https://loan-${run}.top/apply 或致电客服`;
  const crowdSender = '+447700900555';

  it('shares a campaign the classifier calls genuine once five subscribers on two operators report it, with its sender and link, and moves its counts', async () => {
    // Four reports: the reports already outweigh the model, but wait for the statistics to count them under the old verdict first.
    await reportedBy(2, 2, crowdSender, crowdText);
    expect(await campaignOf(crowdText)).toMatchObject({ spam: false, category: 'not_spam' });
    await expectRollupsToMatchARecount();
    expect(await sharedValues()).not.toContain(`loan-${run}.top`);

    await reportedBy(3, 1, crowdSender, crowdText);
    const tipped = Date.now();
    const shared = await eventually(sharedValues, (v) => v.has(`loan-${run}.top`) && v.has(crowdSender), 60_000, 200);
    expect(Date.now() - tipped).toBeLessThan(60_000);
    expect(shared).toContain(`https://loan-${run}.top/apply`);
    const campaign = await campaignOf(crowdText);
    expect(campaign).toMatchObject({ spam: true, category: 'marketing' });
    expect(campaign.verdict_terms.model).toBeLessThan(0);
    expect(campaign.verdict_terms.reporters).toBeGreaterThan(0);
    expect(campaign.verdict_terms.operators).toBeGreaterThan(0);
    // Every report of the campaign, the first ones too, now reads as its verdict, and the statistics moved them once.
    const { rows } = await db.pool.query(`SELECT DISTINCT category, status FROM reports WHERE campaign_id = $1`, [campaign.id]);
    expect(rows).toEqual([{ category: 'marketing', status: 'confirmed_spam' }]);
    await expectRollupsToMatchARecount();
  });

  it('shares nothing of genuine messages that two or three subscribers forward by mistake', async () => {
    const otp = `Your verification code is ${run.slice(0, 6).replace(/\D/g, '7').padEnd(6, '4')}. Never share it with anyone.`;
    const parcel = `Royal Mail: your parcel ${run.slice(0, 8).toUpperCase()} is out for delivery today. Track it at https://www.royalmail.com/track/${run.slice(0, 8)}`;
    const bank = `HSBC: a payment of GBP 25.00 to J SMITH was made from your account ending 4821 (${run.slice(0, 4)}). If this was not you, call the number on the back of your card.`;
    await reportedBy(3, 2, '+447700900777', otp);
    await reportedBy(3, 2, 'RoyalMail', parcel);
    await reportedBy(2, 1, 'HSBC', bank);
    // A few more passes of the analyser: nothing may appear late either.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const shared = await sharedValues();
    for (const value of ['+447700900777', 'royalmail.com', `https://www.royalmail.com/track/${run.slice(0, 8)}`, 'HSBC', 'ROYALMAIL']) expect(shared).not.toContain(value);
    for (const text of [otp, parcel, bank]) expect(await campaignOf(text)).toMatchObject({ spam: false, category: 'not_spam' });
    expect((await campaignOf(parcel)).verdict_terms.legitimateDomain).toBeLessThan(0);
    expect((await campaignOf(bank)).verdict_terms.sender).toBeLessThan(0);
  });

  it('withdraws what it shared when two operators report a false positive, though one operator alone cannot', async () => {
    const link = `loan-${run}.top`;
    const entry = (await feed()).find((i) => i.value === crowdSender && i.shared)!;
    expect(entry).toBeDefined();
    const fr = await request(sharing.url).post('/v1/sightings').set('authorization', `Bearer ${keys.frTeam}`).send({ indicator_id: entry.id, kind: 'false_positive' });
    expect(fr.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await campaignOf(crowdText)).toMatchObject({ spam: true });
    expect(await sharedValues()).toContain(link);

    const uk = await request(sharing.url).post('/v1/sightings').set('authorization', `Bearer ${keys.ukTeam}`).send({ indicator_id: entry.id, kind: 'false_positive' });
    expect(uk.status).toBe(201);
    // The campaign's every indicator goes, not only the one disputed.
    await eventually(sharedValues, (v) => !v.has(link) && !v.has(crowdSender) && !v.has(`https://${link}/apply`), 30_000, 200);
    const campaign = await campaignOf(crowdText);
    expect(campaign).toMatchObject({ spam: false, category: 'not_spam' });
    expect(campaign.verdict_terms.falsePositive).toBeLessThan(0);
    // Operators hear of the campaign's withdrawal through the feed (and the stream, webhooks and TAXII that follow it).
    const campaigns = await request(sharing.url).get('/v1/campaigns?limit=1000').set('authorization', `Bearer ${keys.frTeam}`);
    expect(campaigns.body.data.filter((c: { id: string }) => c.id === String(campaign.id)).at(-1)).toMatchObject({ shared: false });
    await expectRollupsToMatchARecount();
  });
});
