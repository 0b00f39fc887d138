import {
  createTestDatabase,
  freePort,
  kannelInstalled,
  kannelRepliesTo,
  startKannel,
  startService,
  testMsisdn,
  uniqueSuffix,
  waitForHttp,
  type KannelHarness,
  type KannelReply,
  type ServiceProcess,
  type TestDatabase,
} from '@srs/testkit';

const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;
const SENDER_WINDOW_SECONDS = 6;

/**
 * The short-code conversation end to end: handsets on Kannel's fake SMSC talk
 * to 7726 through a real bearerbox and smsbox; the built intake and worker
 * answer through Kannel's sendsms, and reports land in PostgreSQL.
 */
describe('the 7726 conversation through real Kannel', () => {
  let db: TestDatabase;
  let intake: ServiceProcess;
  let worker: ServiceProcess;
  let kannelGet: KannelHarness;
  let kannelPost: KannelHarness;

  beforeAll(async () => {
    if (!kannelInstalled()) throw new Error('Kannel is not installed: apt-get install kannel kannel-extras (npm test does)');
    db = await createTestDatabase();
    const [intakePort, workerPort] = await Promise.all([freePort(), freePort()]);
    const intakeUrl = `http://127.0.0.1:${intakePort}`;
    // Kannel authenticates as production requires: the token in its get-url and post-url.
    const token = `kannel-e2e-${uniqueSuffix()}`;
    [kannelGet, kannelPost] = await Promise.all([
      startKannel(`${intakeUrl}/v1/gateways/kannel/mo?from=%p&to=%P&text=%a&id=%I&smsc=%i&coding=%c&ts=%t&token=${token}`, 'get'),
      startKannel(`${intakeUrl}/v1/gateways/kannel/mo?from=%p&to=%P&id=%I&smsc=%i&coding=%c&token=${token}`, 'post'),
    ]);
    const env = {
      DATABASE_URL: db.url,
      QUEUE_PREFIX: `srs-e2e-${uniqueSuffix()}`,
      INTAKE_PORT: String(intakePort),
      WORKER_HEALTH_PORT: String(workerPort),
      // Both harnesses share one sendsms-user; replies go out through the GET one.
      KANNEL_SENDSMS_URL: kannelGet.sendsmsUrl,
      KANNEL_MO_TOKEN: token,
      CONVERSATION_SENDER_WINDOW_SECONDS: String(SENDER_WINDOW_SECONDS),
      LOG_LEVEL: 'info',
    };
    intake = startService('intake', env);
    worker = startService('worker', env);
    await Promise.all([
      waitForHttp(`${intakeUrl}/readyz`, 20_000, intake),
      waitForHttp(`http://127.0.0.1:${workerPort}/readyz`, 20_000, worker),
    ]);
  });

  afterAll(async () => {
    await Promise.all([intake?.terminate(), worker?.terminate()]);
    await Promise.all([kannelGet?.stop(), kannelPost?.stop()]);
    await db?.drop();
  });

  const repliesTo = kannelRepliesTo;
  const ucs2 = (text: string) =>
    Array.from(Buffer.from(text, 'utf16le').swap16())
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join('');
  const referenceIn = (reply: KannelReply | undefined) => REFERENCE.exec(reply?.text ?? '')?.[1];
  async function report(reference: string) {
    const { rows } = await db.pool.query('SELECT * FROM reports WHERE reference = $1', [reference]);
    return rows[0];
  }

  it('asks for the sender, then confirms the report with the sender and the same reference', async () => {
    const msisdn = testMsisdn();
    const text = 'URGENT your parcel is held, pay the fee at http://fee.example/x';
    const mt = await kannelGet.converse([`${msisdn} 7726 text ${text}`, 'sleep 2', `${msisdn} 7726 text 07700 900555`]);
    const [ask, confirm] = repliesTo(mt, msisdn);
    expect(ask).toMatchObject({ from: '7726', coding: 'text' });
    expect(ask!.text).toMatch(/number or name/);
    const reference = referenceIn(ask)!;
    expect(confirm!.text).toContain(reference);
    expect(confirm!.text).toContain('07700 900555');
    for (const reply of [ask!, confirm!]) expect(reply.text.length).toBeLessThanOrEqual(160);
    expect(await report(reference)).toMatchObject({
      body: text,
      operator_id: 'demo-uk',
      gateway: 'kannel',
      smsc: 'FAKE',
      sender_kind: 'msisdn',
      sender_value: '+447700900555',
      completion: 'sender',
    });
  });

  it('takes the one-message forms SPAM <sender> <text> and <sender>*<text>', async () => {
    const a = testMsisdn();
    const b = testMsisdn();
    // The reply to the second message comes last: on a loaded machine it needs more than the default wait.
    const mt = await kannelGet.converse(
      [
        `${a} 7726 text spam AMAZON Your account is on hold, verify at http://amaz0n-verify.top/login`,
        `${b} 7726 text 60300*You have won a prize, text CLAIM to 60300 now`,
      ],
      15,
    );
    const [ra] = repliesTo(mt, a);
    const [rb] = repliesTo(mt, b);
    expect(await report(referenceIn(ra)!)).toMatchObject({
      sender_kind: 'alphanumeric',
      sender_value: 'AMAZON',
      completion: 'one_message',
    });
    expect(await report(referenceIn(rb)!)).toMatchObject({
      sender_kind: 'short_code',
      sender_value: '60300',
      body: 'You have won a prize, text CLAIM to 60300 now',
    });
    expect(repliesTo(mt, a)).toHaveLength(1);

    // The worker's analyser turns the stored report into a campaign and indicators.
    const { rows } = await db.pool.query(
      `SELECT r.spam, r.category, c.report_count, i.type, i.value
         FROM reports r JOIN campaigns c ON c.id = r.campaign_id
         JOIN campaign_indicators ci ON ci.campaign_id = c.id JOIN indicators i ON i.id = ci.indicator_id
        WHERE r.reference = $1 ORDER BY i.type`,
      [referenceIn(ra)],
    );
    expect(rows[0]).toMatchObject({ spam: true, category: 'smishing' });
    expect(rows.map((r) => `${r.type}:${r.value}`)).toEqual(
      expect.arrayContaining(['domain:amaz0n-verify.top', 'sender_alphanumeric:AMAZON', 'url:http://amaz0n-verify.top/login']),
    );
  });

  it('completes a report without a sender when the window passes, by a delayed job', async () => {
    const msisdn = testMsisdn();
    const mt = await kannelGet.converse([`${msisdn} 7726 text Your tax refund is ready, claim at http://refund.example`], 2);
    const reference = referenceIn(repliesTo(mt, msisdn)[0])!;
    expect(await report(reference)).toMatchObject({ awaiting_sender: true, completion: null });
    const deadline = Date.now() + (SENDER_WINDOW_SECONDS + 10) * 1000;
    let row = await report(reference);
    while (row.awaiting_sender && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      row = await report(reference);
    }
    expect(row).toMatchObject({ awaiting_sender: false, completion: 'no_sender_timeout', sender_value: null });
  });

  it('answers HELP, STATUS, STOP and START, and keeps taking reports while stopped', async () => {
    const msisdn = testMsisdn();
    const first = await kannelGet.converse(
      [
        `${msisdn} 7726 text help`,
        `sleep 1`,
        `${msisdn} 7726 text Free entry to win a new car! Text WIN to 80086 now, T&Cs apply`,
        `sleep 1`,
        `${msisdn} 7726 text i don't know`,
      ],
      3,
    );
    const [help, ask, closed] = repliesTo(first, msisdn);
    expect(help!.text).toMatch(/7726/);
    const reference = referenceIn(ask)!;
    expect(closed!.text).toContain(reference);
    expect(await report(reference)).toMatchObject({ completion: 'no_sender_unknown' });

    const second = await kannelGet.converse([
      `${msisdn} 7726 text status ${reference.toLowerCase()}`,
      'sleep 1',
      `${msisdn} 7726 text STOP`,
      'sleep 1',
      `${msisdn} 7726 text Your bank card is blocked, call 02079460000 now`,
      'sleep 1',
      `${msisdn} 7726 text Start`,
    ]);
    const [status, stopped, started, ...rest] = repliesTo(second, msisdn);
    expect(status!.text).toContain(reference);
    // By now the worker has classified the report: STATUS answers from what is stored.
    expect(await report(reference)).toMatchObject({ status: 'confirmed_spam', spam: true });
    expect(status!.text).toMatch(/confirmed/i);
    expect(stopped!.text).toMatch(/START/);
    expect(started!.text).toBeDefined();
    expect(rest).toHaveLength(0);
    const { rows } = await db.pool.query('SELECT body FROM reports WHERE body = $1', ['Your bank card is blocked, call 02079460000 now']);
    expect(rows).toHaveLength(1);
  });

  it('recognises its own prompt forwarded back and answers with help, storing nothing', async () => {
    const msisdn = testMsisdn();
    const first = await kannelGet.converse([`${msisdn} 7726 text Act now: your loan is approved, call 08001234567`], 2);
    const prompt = repliesTo(first, msisdn)[0]!.text;
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n;
    const second = await kannelGet.converse([`${msisdn} 7726 text ${prompt}`], 3);
    expect(repliesTo(second, msisdn)[0]!.text).toMatch(/7726/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n).toBe(before);
  });

  it('keeps a Chinese UCS-2 text intact and answers in Chinese over UCS-2', async () => {
    const msisdn = testMsisdn();
    // fakesmsc drops input lines over about 255 characters: 40 escaped UCS-2 characters fit.
    const text = '您的包裹已被扣留，请致电4008123456支付运费';
    const mt = await kannelGet.converse([`${msisdn} 7726 ucs2 ${ucs2(text)}`]);
    const [reply] = repliesTo(mt, msisdn);
    expect(reply!.coding).toBe('ucs-2');
    expect(reply!.text).toMatch(/^感谢举报/);
    expect(reply!.text.length).toBeLessThanOrEqual(70);
    expect((await report(referenceIn(reply)!)).body).toBe(text);
  });

  it('answers a French text in French', async () => {
    const msisdn = testMsisdn();
    const mt = await kannelGet.converse([
      `${msisdn} 7726 text Votre colis est en attente de livraison, payez les frais sur http://colis.example`,
    ]);
    const [reply] = repliesTo(mt, msisdn);
    expect(reply!.text).toMatch(/^Merci/);
    expect(reply!.text.length).toBeLessThanOrEqual(160);
  });

  it('takes post-url deliveries too', async () => {
    const msisdn = testMsisdn();
    const text = 'Congratulations! You won £1000, call 09061234567 now & claim';
    await kannelPost.converse([`${msisdn} 7726 text ${text}`], 4);
    const { rows } = await db.pool.query('SELECT body FROM reports WHERE body = $1', [text]);
    expect(rows).toHaveLength(1);
  });

  it('writes no subscriber number to any log line', () => {
    const logs = intake.output() + worker.output();
    expect(logs).toContain('report updated');
    expect(logs).not.toMatch(/7700900\d{3}/);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    expect(await intake.terminate()).toBe(0);
    expect(await worker.terminate()).toBe(0);
    expect(intake.output()).toContain('"msg":"stopped"');
  });
});
