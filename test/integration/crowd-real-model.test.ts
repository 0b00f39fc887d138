import { eventually, uniqueSuffix } from '@srs/testkit';
import { startCrowd, type Crowd } from './crowd-harness';

/**
 * The case issue 25 found with the shipped model: Chinese advertising without
 * links, each campaign reported by eight subscribers on two operators, each
 * campaign from a number of its own. Whatever the model says of the texts,
 * every sender reaches the feed; a genuine notice two subscribers forward
 * does not.
 */
describe('crowd-reported campaigns with the shipped model', () => {
  let crowd: Crowd;
  beforeAll(async () => {
    crowd = await startCrowd({});
  });
  afterAll(() => crowd.close());

  const run = uniqueSuffix().replace(/\D/g, '').slice(-4).padStart(4, '7');
  const campaigns = [
    { sender: `+86138${run}0001`, text: `急用钱找我们！个人信用贷款，无需抵押，最快当天到账，月息低至0.5%，详询13912${run}01` },
    { sender: `+86138${run}0002`, text: `本公司可代开各类正规发票，税点低，可验证后付款，联系电话13822${run}02，诚信合作` },
    { sender: `+86138${run}0003`, text: `办理各类证件，驾驶证、学历证书，信誉第一，快速办理，电话15013${run}03` },
    { sender: `+86138${run}0004`, text: `新盘开售！市中心精装小区，首付10万起，买房送车位，看房热线18602${run}04` },
  ];

  it('shares the sender of every campaign eight subscribers on two operators report', async () => {
    for (const c of campaigns) await crowd.reportedBy(8, 4, c.sender, c.text);
    const senders = campaigns.map((c) => c.sender);
    const shared = await eventually(
      () => crowd.sharedValues(),
      (v) => senders.every((s) => v.has(s)),
      60_000,
      250,
    );
    expect(senders.filter((s) => !shared.has(s))).toEqual([]);
  });

  it('shares nothing of a genuine notice two subscribers on two operators forward', async () => {
    const notice = `Your Tesco order ${run} has been delivered. Thank you for shopping with us.`;
    await crowd.reportedBy(2, 1, 'TESCO', notice);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const shared = await crowd.sharedValues();
    expect(shared.has('TESCO')).toBe(false);
  });
});
