import { campaignIncrements, reportIncrements, type TextClassification } from '@srs/core';
import { eventually, uniqueSuffix } from '@srs/testkit';
import request from 'supertest';
import { startCrowd, type Crowd } from './crowd-harness';

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

describe("a campaign's verdict comes from all the evidence, not from the classifier alone", () => {
  let crowd: Crowd;
  beforeAll(async () => {
    crowd = await startCrowd(
      { STATS_ROLLUP_INTERVAL_MS: '200', ALLOWLIST: 'domain:royalmail.com,sender_alphanumeric:HSBC' },
      genuineToTheModel,
    );
  });
  afterAll(() => crowd.close());
  const sharedValues = () => crowd.sharedValues();

  async function campaignOf(
    text: string,
  ): Promise<{ id: number; spam: boolean; category: string; confidence: number; verdict_terms: Record<string, number> }> {
    const { rows } = await crowd.db.pool.query(
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
        (
          await crowd.db.pool.query(
            `SELECT (SELECT count(*) FROM reports WHERE stats_at IS NULL OR stats_category IS DISTINCT FROM category)::int
                + (SELECT count(*) FROM campaigns WHERE reporter_count >= 2 AND (stats_at IS NULL OR stats_category IS DISTINCT FROM category))::int AS n`,
          )
        ).rows[0].n,
      (n) => n === 0,
      30_000,
      100,
    );
    const { rows: raw } = await crowd.db.pool.query(
      `SELECT r.operator_id AS "operatorId", o.country AS "operatorCountry", r.category, r.received_at AS "receivedAt", r.sender_kind AS "senderKind",
              r.sender_value AS "senderValue", COALESCE(r.link_kind, 'none') AS "linkKind", COALESCE(r.link_domains, '{}') AS "linkDomains"
         FROM reports r JOIN operators o ON o.id = r.operator_id`,
    );
    const recount = reportIncrements(raw).reports.map((c) =>
      [c.grain, c.cuboid, c.bucket.toISOString(), c.operatorId, c.category, c.originCountry, c.senderType, c.linkKind, c.reports].join('|'),
    );
    const { rows: rolled } = await crowd.db.pool.query(
      `SELECT grain, cuboid, bucket, operator_id, category, origin_country, sender_type, link_kind, reports FROM stats_reports WHERE reports <> 0`,
    );
    const stored = rolled.map((c) =>
      [c.grain, c.cuboid, c.bucket.toISOString(), c.operator_id, c.category, c.origin_country, c.sender_type, c.link_kind, c.reports].join(
        '|',
      ),
    );
    expect(stored.sort()).toEqual(recount.sort());

    const { rows: campaigns } = await crowd.db.pool.query(
      `SELECT category, first_seen AS "firstSeen" FROM campaigns WHERE reporter_count >= 2`,
    );
    const campaignRecount = campaignIncrements(campaigns).map((c) => [c.grain, c.bucket.toISOString(), c.category, c.count].join('|'));
    const { rows: campaignRolled } = await crowd.db.pool.query(
      `SELECT grain, bucket, category, campaigns FROM stats_campaigns WHERE campaigns <> 0`,
    );
    expect(campaignRolled.map((c) => [c.grain, c.bucket.toISOString(), c.category, c.campaigns].join('|')).sort()).toEqual(
      campaignRecount.sort(),
    );
  }

  const run = uniqueSuffix()
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
  const crowdText = `低息贷款，无抵押当天放款，额度最高50万，详情 https://loan-${run}.top/apply 或致电客服`;
  const crowdSender = '+447700900555';

  it('shares a campaign the classifier calls genuine once five subscribers on two operators report it, with its sender and link, and moves its counts', async () => {
    // Four reports: the reports already outweigh the model, but wait for the statistics to count them under the old verdict first.
    await crowd.reportedBy(2, 2, crowdSender, crowdText);
    expect(await campaignOf(crowdText)).toMatchObject({ spam: false, category: 'not_spam' });
    await expectRollupsToMatchARecount();
    expect(await sharedValues()).not.toContain(`loan-${run}.top`);

    await crowd.reportedBy(3, 1, crowdSender, crowdText);
    const tipped = Date.now();
    const shared = await eventually(sharedValues, (v) => v.has(`loan-${run}.top`) && v.has(crowdSender), 60_000, 200);
    expect(Date.now() - tipped).toBeLessThan(60_000);
    expect(shared).toContain(`https://loan-${run}.top/apply`);
    const campaign = await campaignOf(crowdText);
    expect(campaign).toMatchObject({ spam: true, category: 'marketing' });
    expect(campaign.verdict_terms.model).toBeLessThan(0);
    expect(campaign.verdict_terms.reporters).toBeGreaterThan(0);
    expect(campaign.verdict_terms.operators).toBeGreaterThan(0);
    // Operators see why: the evidence behind the verdict comes with the campaign.
    const feedCampaign = (
      await request(crowd.sharingUrl).get('/v1/campaigns?limit=1000').set('authorization', `Bearer ${crowd.keys.frTeam}`)
    ).body.data
      .filter((c: { id: string }) => c.id === String(campaign.id))
      .at(-1);
    expect(feedCampaign).toMatchObject({
      shared: true,
      category: 'marketing',
      evidence: { model: campaign.verdict_terms.model, reporters: campaign.verdict_terms.reporters },
    });
    // Every report of the campaign, the first ones too, now reads as its verdict, and the statistics moved them once.
    const { rows } = await crowd.db.pool.query(`SELECT DISTINCT category, status FROM reports WHERE campaign_id = $1`, [campaign.id]);
    expect(rows).toEqual([{ category: 'marketing', status: 'confirmed_spam' }]);
    await expectRollupsToMatchARecount();
  });

  it('shares nothing of genuine messages that two or three subscribers forward by mistake', async () => {
    const otp = `Your verification code is ${run.slice(0, 6).replace(/\D/g, '7').padEnd(6, '4')}. Never share it with anyone.`;
    const parcel = `Royal Mail: your parcel ${run.slice(0, 8).toUpperCase()} is out for delivery today. Track it at https://www.royalmail.com/track/${run.slice(0, 8)}`;
    const bank = `HSBC: a payment of GBP 25.00 to J SMITH was made from your account ending 4821 (${run.slice(0, 4)}). If this was not you, call the number on the back of your card.`;
    await crowd.reportedBy(3, 2, '+447700900777', otp);
    await crowd.reportedBy(3, 2, 'RoyalMail', parcel);
    await crowd.reportedBy(2, 1, 'HSBC', bank);
    // A few more passes of the analyser: nothing may appear late either.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const shared = await sharedValues();
    for (const value of ['+447700900777', 'royalmail.com', `https://www.royalmail.com/track/${run.slice(0, 8)}`, 'HSBC', 'ROYALMAIL'])
      expect(shared).not.toContain(value);
    for (const text of [otp, parcel, bank]) expect(await campaignOf(text)).toMatchObject({ spam: false, category: 'not_spam' });
    expect((await campaignOf(parcel)).verdict_terms.legitimateDomain).toBeLessThan(0);
    expect((await campaignOf(bank)).verdict_terms.sender).toBeLessThan(0);
  });

  it('withdraws what it shared when two operators report a false positive, though one operator alone cannot', async () => {
    const link = `loan-${run}.top`;
    const entry = (await crowd.feed()).find((i) => i.value === crowdSender && i.shared)!;
    expect(entry).toBeDefined();
    const fr = await request(crowd.sharingUrl)
      .post('/v1/sightings')
      .set('authorization', `Bearer ${crowd.keys.frTeam}`)
      .send({ indicator_id: entry.id, kind: 'false_positive' });
    expect(fr.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await campaignOf(crowdText)).toMatchObject({ spam: true });
    expect(await sharedValues()).toContain(link);

    const uk = await request(crowd.sharingUrl)
      .post('/v1/sightings')
      .set('authorization', `Bearer ${crowd.keys.ukTeam}`)
      .send({ indicator_id: entry.id, kind: 'false_positive' });
    expect(uk.status).toBe(201);
    // The campaign's every indicator goes, not only the one disputed.
    await eventually(sharedValues, (v) => !v.has(link) && !v.has(crowdSender) && !v.has(`https://${link}/apply`), 30_000, 200);
    const campaign = await campaignOf(crowdText);
    expect(campaign).toMatchObject({ spam: false, category: 'not_spam' });
    expect(campaign.verdict_terms.falsePositive).toBeLessThan(0);
    // Operators hear of the campaign's withdrawal through the feed (and the stream, webhooks and TAXII that follow it).
    const campaigns = await request(crowd.sharingUrl).get('/v1/campaigns?limit=1000').set('authorization', `Bearer ${crowd.keys.frTeam}`);
    expect(campaigns.body.data.filter((c: { id: string }) => c.id === String(campaign.id)).at(-1)).toMatchObject({ shared: false });
    await expectRollupsToMatchARecount();
  });
});
