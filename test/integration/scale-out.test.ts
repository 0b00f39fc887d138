import {
  eventually,
  SHARED_MACHINE_ENV,
  startIntakesAndWorkers,
  startProcessDeployment,
  sumSamples,
  testMsisdn,
  uniqueSuffix,
  type ProcessDeployment,
  type SendsmsRecorder,
  type ServiceAt,
} from '@srs/testkit';

/** The subscriber limit every instance is given: small, so a flood reaches it at once. */
const RATE_LIMIT = 4;
const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;
/** Requests (or request pairs) in flight at once, as a load balancer in front of the intakes would see them. */
const IN_FLIGHT = 32;

interface Mo {
  from: string;
  text: string;
  id: string;
}

interface Answer {
  intake: number;
  status: number;
  /** `accepted` (recorded) or `duplicate` (a redelivery) on a 202 */
  result?: string;
  /** attempts a gateway needed: a 503 (subscriber busy, Redis away) or a 429 is retried, as Kannel does */
  attempts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over the items with at most `limit` at once; results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Scale-out on one machine: two intake processes and two worker processes,
 * built as deployed, on one Redis (one queue prefix) and one PostgreSQL, with
 * gateways in front that spread messages over the intakes as a load balancer
 * would and retry a delivery on the other instance. No message is processed
 * twice, no conversation state is lost between instances, and the subscriber
 * rate limit is one limit, not one per instance. The intakes only record; the
 * workers decide, each subscriber's messages in order, so what the
 * conversation made of each message is read from the replies and the reports.
 */
describe('two intakes and two workers on one Redis and one PostgreSQL', () => {
  let deployment: ProcessDeployment;
  let db: ProcessDeployment['db'];
  let recorder: SendsmsRecorder;
  const run = uniqueSuffix();
  let intakes: ServiceAt[] = [];
  let workers: ServiceAt[] = [];
  /** every answer the intakes gave, over all the scenarios */
  const answers: Answer[] = [];

  beforeAll(async () => {
    deployment = await startProcessDeployment('srs-scale');
    ({ db, recorder } = deployment);
    const env = {
      ...deployment.env,
      // Four processes on a 2-core machine.
      ...SHARED_MACHINE_ENV,
      RATE_LIMIT_REPORTER_PER_MINUTE: String(RATE_LIMIT),
      // The connection limit is not under test here: high enough never to answer 429.
      RATE_LIMIT_CONNECTION_PER_SECOND: '100000',
    };
    ({ intakes, workers } = await startIntakesAndWorkers(env, { intakes: 2, workers: 2 }));
  }, 90_000);

  afterAll(async () => {
    await deployment?.close([...intakes, ...workers].map((p) => p.service));
  }, 60_000);

  /** One Kannel MO delivery (GET, as smsbox's get-url) to intake 0 or 1, retried as Kannel retries a 503 or 429. */
  async function deliver(intake: number, mo: Mo): Promise<Answer> {
    const query = new URLSearchParams({ from: mo.from, to: '7726', text: mo.text, id: mo.id, coding: '0' });
    const url = `${intakes[intake]!.url}/v1/gateways/kannel/mo?${query}`;
    const deadline = Date.now() + 30_000;
    for (let attempts = 1; ; attempts++) {
      let status = 0;
      let body: { status?: string } = {};
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
        status = res.status;
        body = (await res.json().catch(() => ({}))) as typeof body;
      } catch {
        // connection refused or reset: the gateway keeps the message and retries
      }
      const retry = status === 0 || status === 429 || status === 503;
      if (!retry || Date.now() > deadline) {
        const answer: Answer = {
          intake,
          status,
          attempts,
          ...(body.status ? { result: body.status } : {}),
        };
        answers.push(answer);
        return answer;
      }
      await sleep(100 * attempts);
    }
  }

  const repliesTo = (msisdn: string) => recorder.received.filter((r) => r.params.to === msisdn).map((r) => r.params.text ?? '');
  const repliesToAll = (msisdns: string[]) => {
    const wanted = new Set(msisdns);
    return recorder.received.filter((r) => wanted.has(r.params.to ?? '')).length;
  };
  const scrape = async (url: string) => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  /** How many messages the two workers together took for each of `outcomes`, so far. */
  const decidedAs = async (...outcomes: string[]) => {
    const texts = await Promise.all(workers.map((w) => scrape(w.url)));
    return Object.fromEntries(
      outcomes.map((outcome) => [outcome, texts.reduce((sum, t) => sum + sumSamples(t, 'srs_inbox_decided_total', { outcome }), 0)]),
    );
  };

  /**
   * Waits until the inbox and the outbound queue are idle, as the workers' own gauges
   * read them: nothing waiting, running, retrying or set aside, and no sender window
   * open (every report opened here got its sender). Only then are the counts of
   * replies and reports final.
   */
  async function settle(): Promise<void> {
    let drainedBefore = false;
    let last = '';
    const settled = await eventually(
      async () => {
        const text = await scrape(workers[0]!.url);
        const n = (queue: string, state: string) => sumSamples(text, 'srs_queue_jobs', { queue, state });
        const depths = {
          // A scrape that could not read Redis leaves the gauges out rather than at zero.
          gauges: text.includes('srs_queue_jobs{') && text.includes('srs_inbox_messages{'),
          inboxWaiting: sumSamples(text, 'srs_inbox_messages', { state: 'waiting' }),
          senderWindows: sumSamples(text, 'srs_inbox_sender_windows', {}),
          outboundBusy: n('outbound-sms', 'waiting') + n('outbound-sms', 'active') + n('outbound-sms', 'delayed'),
          failed: sumSamples(text, 'srs_inbox_messages', { state: 'dead' }) + n('outbound-sms', 'failed'),
          replies: recorder.received.length,
        };
        const drained = depths.gauges && depths.inboxWaiting === 0 && depths.outboundBusy === 0 && depths.senderWindows === 0;
        // Drained twice in a row with no reply in between: nothing is on its way any more.
        const json = JSON.stringify(depths);
        const done = drained && drainedBefore && json === last;
        drainedBefore = drained;
        last = json;
        return { ...depths, done };
      },
      (d) => d.done,
      45_000,
      200,
    );
    expect(settled).toMatchObject({
      gauges: true,
      inboxWaiting: 0,
      outboundBusy: 0,
      failed: 0,
      senderWindows: 0,
      done: true,
    });
  }

  it('processes each of 240 reports once though every delivery reaches both intakes at the same time', async () => {
    const subscribers = Array.from({ length: 120 }, () => testMsisdn());
    const messages = subscribers.flatMap((from, s) =>
      [0, 1].map((k) => {
        const i = 2 * s + k;
        return {
          from,
          sender: `BANK${i}`,
          mo: {
            from,
            id: `dup-${run}-${i}`,
            text: `SPAM BANK${i} Your account ${i} is locked, verify now at http://bank-${i}.example/login`,
          },
        };
      }),
    );
    // The first delivery goes to either intake in turn, the gateway's retry to the other, at the same moment.
    const pairs = await inParallel(messages, IN_FLIGHT, (m, i) => Promise.all([deliver(i % 2, m.mo), deliver(1 - (i % 2), m.mo)]));

    // Each message: taken by one intake, recognised as a redelivery by the other.
    const notOnce = pairs.filter(
      (p) =>
        p
          .map((a) => `${a.status} ${a.result}`)
          .sort()
          .join() !== '202 accepted,202 duplicate',
    );
    expect(notOnce).toEqual([]);
    const accepted = pairs.flat().filter((a) => a.result === 'accepted');
    // Both intakes won some races and lost others.
    for (const intake of [0, 1]) {
      expect(accepted.filter((a) => a.intake === intake).length).toBeGreaterThan(0);
      expect(pairs.flat().filter((a) => a.intake === intake && a.result === 'duplicate').length).toBeGreaterThan(0);
    }

    await eventually(
      () => repliesToAll(subscribers),
      (n) => n >= messages.length,
      45_000,
      100,
    );
    await settle();

    const { rows } = await db.pool.query<{
      gateway_message_id: string;
      reference: string;
      sender_value: string;
      completion: string;
      n: number;
    }>(
      `SELECT gateway_message_id, min(reference) AS reference, min(sender_value) AS sender_value, min(completion) AS completion, count(*)::int AS n
         FROM reports WHERE gateway_message_id LIKE $1 GROUP BY gateway_message_id`,
      [`dup-${run}-%`],
    );
    expect(rows).toHaveLength(messages.length);
    const byId = new Map(rows.map((r) => [r.gateway_message_id, r]));
    const wrong = messages.filter((m) => {
      const row = byId.get(m.mo.id);
      return row?.n !== 1 || row.sender_value !== m.sender || row.completion !== 'one_message';
    });
    expect(wrong.map((m) => ({ id: m.mo.id, stored: byId.get(m.mo.id) }))).toEqual([]);
    // One acknowledgement per report: each subscriber's replies name exactly the references of their reports.
    for (const from of subscribers) {
      const mine = messages.filter((m) => m.from === from).map((m) => byId.get(m.mo.id)!.reference);
      const replies = repliesTo(from);
      expect(replies).toHaveLength(mine.length);
      expect(replies.every((t) => /is complete, with sender BANK\d+/.test(t))).toBe(true);
      expect(replies.map((t) => REFERENCE.exec(t)?.[1]).sort()).toEqual(mine.sort());
    }
  }, 120_000);

  it('keeps the conversation when the spam text reaches one intake and the sender the other', async () => {
    const subscribers = Array.from({ length: 100 }, (_, i) => ({
      from: testMsisdn(),
      // Half start on intake A and follow up on B, half the other way round.
      first: i % 2,
      spam: { id: `conv-${run}-${i}-text`, text: `Your parcel ${i} is held at the depot, pay the fee at http://parcel-${i}.example/pay` },
      // A London drama number of its own (020 7946 0000-0999), so each report must get its own subscriber's sender.
      sender: {
        id: `conv-${run}-${i}-sender`,
        text: `020 7946 0${String(i).padStart(3, '0')}`,
        e164: `+442079460${String(i).padStart(3, '0')}`,
      },
    }));
    // Every subscriber at once; each sends the sender once the gateway has had its text acknowledged.
    const flows = await inParallel(subscribers, IN_FLIGHT, async (s) => {
      const text = await deliver(s.first, { from: s.from, ...s.spam });
      const sender = await deliver(1 - s.first, { from: s.from, ...s.sender });
      return { text, sender };
    });

    for (const f of flows) {
      expect(f.text).toMatchObject({ status: 202, result: 'accepted' });
      expect(f.sender).toMatchObject({ status: 202, result: 'accepted' });
    }

    await eventually(
      () => repliesToAll(subscribers.map((s) => s.from)),
      (n) => n >= 2 * subscribers.length,
      45_000,
      100,
    );
    await settle();

    const { rows } = await db.pool.query<{
      gateway_message_id: string;
      reference: string;
      reporter_pseudonym: string;
      sender_kind: string;
      sender_value: string;
      completion: string;
      awaiting_sender: boolean;
    }>(
      `SELECT gateway_message_id, reference, reporter_pseudonym, sender_kind, sender_value, completion, awaiting_sender FROM reports WHERE gateway_message_id LIKE $1`,
      [`conv-${run}-%`],
    );
    // One report per subscriber, opened by the text; the sender made none of its own.
    expect(rows).toHaveLength(subscribers.length);
    const byId = new Map(rows.map((r) => [r.gateway_message_id, r]));
    // None is left waiting for a sender the subscriber already sent (and was thanked for).
    const stuck = subscribers
      .filter((s) => byId.get(s.spam.id)?.sender_value !== s.sender.e164)
      .map((s) => ({ report: byId.get(s.spam.id), sentSender: s.sender.text, told: repliesTo(s.from) }));
    expect(stuck).toEqual([]);
    for (const s of subscribers) {
      const report = byId.get(s.spam.id);
      expect(report).toMatchObject({ sender_kind: 'msisdn', sender_value: s.sender.e164, completion: 'sender', awaiting_sender: false });
      const replies = repliesTo(s.from);
      expect(replies).toHaveLength(2);
      // Asked for the sender, then confirmed with it: both name the same report.
      expect(replies.filter((t) => /reply with the phone number or name/.test(t))).toHaveLength(1);
      expect(replies.filter((t) => t.includes(`is complete, with sender ${s.sender.text}`))).toHaveLength(1);
      expect(replies.map((t) => REFERENCE.exec(t)?.[1])).toEqual([report!.reference, report!.reference]);
    }
    // Each text opened its report and each sender, taken in by the other intake, was attached to it.
    expect(await decidedAs('report_opened', 'sender_attached')).toEqual({
      report_opened: subscribers.length,
      sender_attached: subscribers.length,
    });
    const pseudonyms = new Set(rows.map((r) => r.reporter_pseudonym));
    expect(pseudonyms.size).toBe(subscribers.length);
    const { rows: others } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reports WHERE reporter_pseudonym = ANY($1)',
      [[...pseudonyms]],
    );
    expect(others[0]!.n).toBe(subscribers.length);
  }, 120_000);

  it('shares the subscriber rate limit: the two intakes together accept the limit once, and answer beyond it as one intake does', async () => {
    const flood = 2 * RATE_LIMIT;
    const help = (from: string, tag: string, i: number): Mo => ({ from, text: 'HELP', id: `rl-${run}-${tag}-${i}` });
    const recorded = (a: Answer) => `${a.status} ${a.result}`;

    // What one intake does: the subscriber's messages all reach intake A.
    const single = testMsisdn();
    const alone: Answer[] = [];
    for (let i = 0; i < flood; i++) alone.push(await deliver(0, help(single, 'single', i)));
    // The door records every message; the limit is decided behind it, one subscriber's messages in order.
    expect(alone.map(recorded)).toEqual(Array(flood).fill('202 accepted'));

    // The same flood alternating between the two intakes.
    const alternating = testMsisdn();
    const across: Answer[] = [];
    for (let i = 0; i < flood; i++) across.push(await deliver(i % 2, help(alternating, 'alternating', i)));
    expect(across.map(recorded)).toEqual(alone.map(recorded));
    for (const intake of [0, 1]) expect(across.filter((a) => a.intake === intake && a.result === 'accepted').length).toBeGreaterThan(0);

    // And all at once over both.
    const burst = testMsisdn();
    const together = await Promise.all(Array.from({ length: flood }, (_, i) => deliver(i % 2, help(burst, 'burst', i))));
    expect(together.map(recorded)).toEqual(alone.map(recorded));

    await eventually(
      () => repliesToAll([single, alternating, burst]),
      (n) => n >= 3 * (RATE_LIMIT + 1),
      30_000,
      100,
    );
    await settle();
    // The limit's answers, then one "please wait", then silence: the same for each.
    const expected = repliesTo(single);
    expect(expected).toHaveLength(RATE_LIMIT + 1);
    expect(expected.filter((t) => /wait a while/.test(t))).toHaveLength(1);
    expect(repliesTo(alternating).sort()).toEqual([...expected].sort());
    expect(repliesTo(burst).sort()).toEqual([...expected].sort());
    // What the workers took each message for: for each of the three, the limit, one warning, then silence.
    expect(await decidedAs('help', 'throttled_first', 'throttled')).toEqual({
      help: 3 * RATE_LIMIT,
      throttled_first: 3,
      throttled: 3 * (flood - RATE_LIMIT - 1),
    });
  }, 90_000);

  it('ran every job once, on both workers, behind both intakes', async () => {
    await settle();
    const [workerA, workerB] = await Promise.all(workers.map((w) => scrape(w.url)));
    const [intakeA, intakeB] = await Promise.all(intakes.map((i) => scrape(i.url)));

    // Every accepted message was decided once, by one of the workers.
    const steps = answers.filter((a) => a.result === 'accepted').length;
    const stepsRun = [workerA!, workerB!].map((t) => sumSamples(t, 'srs_inbox_decided_total', {}));
    expect(stepsRun[0]! + stepsRun[1]!).toBe(steps);
    // Each reply was sent once, by one of the workers: straight from its decision, or through the outbound queue
    // (a job there that found its reply already sent, after a message was decided twice, sent nothing).
    const sent = [workerA!, workerB!].map(
      (t) => sumSamples(t, 'srs_replies_total', { path: 'direct' }) + sumSamples(t, 'srs_replies_total', { path: 'outbound' }),
    );
    expect(sent[0]! + sent[1]!).toBe(recorder.received.length);
    expect(recorder.received.length).toBe(240 + 2 * 100 + 3 * (RATE_LIMIT + 1));
    // Both workers took part.
    for (const n of [...stepsRun, ...sent]) expect(n).toBeGreaterThan(0);

    // The intakes counted what they answered, and both answered.
    const counted = (status: string) =>
      [intakeA!, intakeB!].map((t) => sumSamples(t, 'srs_intake_messages_total', { gateway: 'kannel', status }));
    for (const status of ['accepted', 'duplicate']) {
      const [a, b] = counted(status);
      expect({ status, total: a! + b! }).toEqual({ status, total: answers.filter((x) => x.result === status).length });
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    }
    // Not one delivery was refused for good.
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
  }, 60_000);
});
