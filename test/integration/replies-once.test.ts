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

const ROUNDS = 5;
const SUBSCRIBERS_PER_ROUND = 60;
/** how long a job waits for the gateway to take a reply (KANNEL_TIMEOUT_MS): short, so the stalls are short too */
const GATEWAY_TIMEOUT_MS = 1000;
/** how long the workers stay stopped while the gateway answers: past the timeout, as on a machine too busy to run them */
const STALL_MS = GATEWAY_TIMEOUT_MS + 600;
/** the workers stall as the gateway answers every this many replies */
const STALL_EVERY = 60;
const REFERENCE = /\b([2-9A-HJKMNP-TV-Z]{8})\b/;

interface Mo {
  from: string;
  text: string;
  id: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Exactly one acknowledgement per report, under the load of the scale-out
 * test: two intakes and two workers, every delivery to both intakes at the
 * same instant, and worker processes that stop running for a while, as on a
 * machine too busy to schedule them, just as the gateway answers their
 * replies. The gateway took each of those replies and answered at once; a
 * worker that runs again must read that answer, not take the reply for
 * unsent and send it a second time.
 */
describe('replies go out once though every delivery reaches both intakes and the workers stall mid-send', () => {
  let deployment: ProcessDeployment;
  let recorder: SendsmsRecorder;
  const run = uniqueSuffix();
  let intakes: ServiceAt[] = [];
  let workers: ServiceAt[] = [];
  let stalling = true;
  let stalled = false;
  let stalls = 0;

  /** Now and then stops both workers before the gateway answers, and lets them run again once their wait for the answer is over. */
  function stallWorkers(): void {
    if (!stalling || stalled || recorder.received.length % STALL_EVERY !== 0) return;
    stalled = true;
    stalls++;
    for (const w of workers) w.service.child.kill('SIGSTOP');
    setTimeout(() => {
      for (const w of workers) w.service.child.kill('SIGCONT');
      stalled = false;
    }, STALL_MS);
  }

  beforeAll(async () => {
    deployment = await startProcessDeployment('srs-once', { beforeAnswer: stallWorkers });
    recorder = deployment.recorder;
    const env = {
      ...deployment.env,
      ...SHARED_MACHINE_ENV,
      KANNEL_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
      // Neither limit is under test: high enough never to answer 429.
      RATE_LIMIT_REPORTER_PER_MINUTE: '1000',
      RATE_LIMIT_CONNECTION_PER_SECOND: '100000',
    };
    ({ intakes, workers } = await startIntakesAndWorkers(env, { intakes: 2, workers: 2 }));
  }, 90_000);

  afterAll(async () => {
    stalling = false;
    const services = [...intakes, ...workers].map((p) => p.service);
    // A worker stopped mid-stall would never see its SIGTERM.
    for (const s of services) s.child.kill('SIGCONT');
    await deployment?.close(services);
  }, 60_000);

  /** One Kannel MO delivery, retried as Kannel retries a 503 or 429, or a connection that failed. */
  async function deliver(intake: number, mo: Mo): Promise<number> {
    const query = new URLSearchParams({ from: mo.from, to: '7726', text: mo.text, id: mo.id, coding: '0' });
    const url = `${intakes[intake]!.url}/v1/gateways/kannel/mo?${query}`;
    const deadline = Date.now() + 30_000;
    for (let attempts = 1; ; attempts++) {
      let status = 0;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        // the gateway keeps the message and retries
      }
      if (!(status === 0 || status === 429 || status === 503) || Date.now() > deadline) return status;
      await sleep(50 * attempts);
    }
  }

  const repliesTo = (msisdn: string) => recorder.received.filter((r) => r.params.to === msisdn).map((r) => r.params.text ?? '');

  /** Both queues idle as the workers' gauges read them, twice in a row with no reply in between. */
  async function settle(): Promise<void> {
    let last = '';
    const settled = await eventually(
      async () => {
        const text = await (await fetch(`${workers[0]!.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
        const n = (queue: string, state: string) => sumSamples(text, 'srs_queue_jobs', { queue, state });
        const busy =
          n('reports', 'waiting') +
          n('reports', 'active') +
          n('outbound-sms', 'waiting') +
          n('outbound-sms', 'active') +
          n('outbound-sms', 'delayed');
        const now = JSON.stringify({ gauges: text.includes('srs_queue_jobs{'), busy, replies: recorder.received.length });
        const done = now === last && busy === 0;
        last = now;
        return done;
      },
      (done) => done,
      60_000,
      300,
    );
    expect(settled).toBe(true);
  }

  it('sends each report its acknowledgement once, whichever intake took it and however long its worker stalled', async () => {
    const handsets: Array<{ from: string; ids: string[] }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const subscribers = Array.from({ length: SUBSCRIBERS_PER_ROUND }, () => testMsisdn());
      // Each subscriber's two reports at once, each delivered to both intakes at the same instant.
      const statuses = await Promise.all(
        subscribers.flatMap((from, s) => {
          const mos = [0, 1].map((k) => ({
            from,
            id: `once-${run}-${round}-${s}-${k}`,
            text: `SPAM BANK${k} Your account is locked, verify at http://bank-${round}-${s}-${k}.example/`,
          }));
          handsets.push({ from, ids: mos.map((m) => m.id) });
          return mos.flatMap((mo) => [deliver(0, mo), deliver(1, mo)]);
        }),
      );
      expect(statuses.filter((s) => s !== 202)).toEqual([]);
    }
    await eventually(
      () => recorder.received.length,
      (n) => n >= 2 * handsets.length,
      60_000,
      200,
    );
    await settle();

    // The stalls did happen, each while a worker waited for the gateway's answer.
    expect(stalls).toBeGreaterThanOrEqual(Math.floor((2 * handsets.length) / STALL_EVERY) - 1);
    const wrong = handsets
      .map((h) => ({ ...h, replies: repliesTo(h.from) }))
      .filter(({ replies }) => {
        const references = new Set(replies.map((t) => REFERENCE.exec(t)?.[1]));
        const senders = replies.map((t) => /with sender (BANK\d)/.exec(t)?.[1]).sort();
        return replies.length !== 2 || references.size !== 2 || senders.join() !== 'BANK0,BANK1';
      });
    expect(wrong).toEqual([]);
    expect(recorder.received).toHaveLength(2 * handsets.length);
  }, 240_000);
});
