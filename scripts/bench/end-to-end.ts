import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Config } from '@srs/config';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type Pool } from '@srs/db';
import { keepAliveGet } from '@srs/http';
import { freePort, startService, waitForHttp, type ServiceProcess } from '@srs/testkit';
import { cpuSeconds, peakRssMiB } from './process-stats';
import { quantile } from './quantile';

/** The figures of the probes sent in one phase of the run. */
export interface EndToEndPhase {
  /** seconds of offered load in the phase */
  seconds: number;
  probes: number;
  visible: number;
  /** from the last acknowledgement of a probe's reports to its indicator in the feed */
  p50: number;
  p95: number;
  max: number;
  /** from the first report of a probe sent (what a gateway sees) to its indicator in the feed */
  fromSent: { p50: number; p95: number };
  /** how long each report sent in the phase waited for its acknowledgement, as the gateway saw it */
  acknowledgement: { p50: number; p95: number; max: number };
  /** p50 and p95 of each stage of a probe, by the database's clock: acknowledged → stored → analysed → shared → seen in the feed */
  stages: Record<string, { p50: number; p95: number }>;
  /** CPU each service spent per report sent in the phase, in µs (undefined where /proc does not tell) */
  cpuPerReportUs: Record<string, number | undefined>;
}

export interface EndToEndResult {
  offeredPerSecond: number;
  sent: number;
  acknowledged: number;
  refused: number;
  /** what the refused got: an HTTP status, or the client error */
  refusals: Record<string, number>;
  /** the first seconds after the services started (their code not yet optimised by V8), then the rest */
  justStarted: EndToEndPhase;
  warm: EndToEndPhase;
  peakRssMiB: Record<string, number | undefined>;
}

const PROBE_EVERY_MS = 200;
const TICK_MS = 20;
const REPORTERS_PER_PROBE = 3;

/**
 * The whole path at a fixed offered load: Kannel MO requests to the intake at
 * `perSecond`, open loop (sent on schedule whatever the answers), through the
 * queue, the worker and the analyser, until the indicator they make appears in
 * the sharing feed. Every 200 ms a probe: three subscribers report the same
 * text with a domain never seen before, which three reporters make
 * shareable; its latency runs from the third report's acknowledgement to the
 * domain's first appearance in `GET /v1/indicators`, followed by a client
 * polling every 25 ms. The rest of the load is spam from a few hundred
 * campaigns.
 *
 * The load runs `startSeconds` from the moment the services are ready, then
 * `seconds` more; each phase's probes are reported apart. A just-started
 * process runs its code unoptimised until V8 has seen it run, so the first
 * seconds cost the machine several times what the same load costs later.
 */
export async function endToEnd(
  config: Config,
  pool: Pool,
  perSecond: number,
  startSeconds: number,
  seconds: number,
): Promise<EndToEndResult> {
  const [intakePort, workerPort, sharingPort] = await Promise.all([freePort(), freePort(), freePort()]);
  // Kannel's sendsms, as a sink: the replies thanking each subscriber are part of the load.
  const sendsms = createServer((_req, res) => res.writeHead(202).end('0: Accepted for delivery'));
  await new Promise<void>((resolve) => sendsms.listen(0, '127.0.0.1', resolve));
  const env = {
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: `${config.redis.prefix}-e2e`,
    LOG_LEVEL: 'warn',
    INTAKE_PORT: String(intakePort),
    WORKER_HEALTH_PORT: String(workerPort),
    SHARING_PORT: String(sharingPort),
    KANNEL_SENDSMS_URL: `http://127.0.0.1:${(sendsms.address() as AddressInfo).port}/cgi-bin/sendsms`,
    // The follower polls every 25 ms, more than an operator key may by default.
    SHARING_RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_CONNECTION_PER_SECOND: '1000000',
    RATE_LIMIT_REPORTER_PER_MINUTE: '1000',
    RATE_LIMIT_REPORTER_PER_DAY: '100000',
    // The analyser looks again soon after it runs dry: latency, not batch size, matters at this load.
    ANALYSER_IDLE_MS: '20',
    STATS_ROLLUP_INTERVAL_MS: process.env.E2E_ROLLUP_MS ?? '5000',
  };
  const services: ServiceProcess[] = [];
  const { key, prefix, hash } = generateApiKey();
  await new ApiKeysRepository(pool).create({
    id: `key_bench_e2e_${process.pid}`,
    operatorId: 'demo-fr',
    name: 'bench e2e',
    prefix,
    hash,
    scopes: ['read'],
  });
  try {
    for (const [name, port] of [
      ['intake', intakePort],
      ['worker', workerPort],
      ['sharing-api', sharingPort],
    ] as const) {
      const service = startService(name, env);
      services.push(service);
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000, service);
    }
    const intake = `http://127.0.0.1:${intakePort}/v1/gateways/kannel/mo`;
    const feed = new FeedFollower(`http://127.0.0.1:${sharingPort}`, key);
    await feed.catchUp();
    const following = feed.follow();

    let sent = 0;
    let acknowledged = 0;
    let refused = 0;
    const refusals: Record<string, number> = {};
    const probeAcks = new Map<string, number>();
    const probeSent = new Map<string, number>();
    /** each report's acknowledgement wait, with when it was sent */
    const ackWaits: Array<{ sentAt: number; wait: number }> = [];
    const probeAckWall = new Map<string, number>();
    const inFlight: Array<Promise<void>> = [];
    const send = async (from: string, text: string): Promise<number | undefined> => {
      sent++;
      const id = `e2e-${process.pid}-${sent}`;
      const sentAt = performance.now();
      try {
        const status = await kannelGet(`${intake}?from=${from}&to=7726&id=${id}&text=${encodeURIComponent(text)}`);
        if (status >= 200 && status < 300) {
          acknowledged++;
          const at = performance.now();
          ackWaits.push({ sentAt, wait: at - sentAt });
          return at;
        }
        refusals[status] = (refusals[status] ?? 0) + 1;
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error';
        refusals[code] = (refusals[code] ?? 0) + 1;
      }
      refused++;
      return undefined;
    };
    const subscriber = (n: number) => `4475${String(10_000_000 + ((n * 104_729) % 89_999_999)).padStart(8, '0')}`;

    const started = performance.now();
    const warmFrom = started + startSeconds * 1000;
    const total = perSecond * (startSeconds + seconds);
    const cpuAt = () => Object.fromEntries(services.map((s) => [s.name, cpuSeconds(s.child.pid)]));
    const cpuAtStart = cpuAt();
    let cpuAtWarm: Record<string, number | undefined> | undefined;
    let sentAtWarm = 0;
    let scheduled = 0;
    let probe = 0;
    let nextProbeAt = started;
    while (scheduled < total) {
      const now = performance.now();
      if (!cpuAtWarm && now >= warmFrom) {
        cpuAtWarm = cpuAt();
        sentAtWarm = sent;
      }
      const due = Math.min(total, Math.floor(((now - started) / 1000) * perSecond));
      if (now >= nextProbeAt) {
        nextProbeAt += PROBE_EVERY_MS;
        const domain = `probe-${process.pid}-${probe++}.top`;
        const text = `URGENT: your bank account is suspended. Verify your identity now at https://${domain}/verify or it will be closed`;
        probeSent.set(domain, performance.now());
        const acks = Array.from({ length: REPORTERS_PER_PROBE }, (_, i) =>
          send(subscriber(1_000_000 + probe * 10 + i), `SPAM 07700900${String(probe % 1000).padStart(3, '0')} ${text}`),
        );
        scheduled += REPORTERS_PER_PROBE;
        inFlight.push(
          Promise.all(acks).then((times) => {
            if (times.every((t) => t !== undefined)) {
              probeAcks.set(domain, Math.max(...(times as number[])));
              probeAckWall.set(domain, Date.now());
            }
          }),
        );
      }
      while (scheduled < due) {
        const n = scheduled++;
        const text = `SPAM 07700900${String(n % 997).padStart(3, '0')} Your parcel is held: a fee of 1.99 is unpaid. Pay at https://parcel-fee-${n % 300}.top/p${n % 7}`;
        inFlight.push(send(subscriber(n), text).then(() => undefined));
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    await Promise.all(inFlight);
    const cpuAtEnd = cpuAt();
    // Probes still on their way get 30 s to appear.
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline && [...probeAcks.keys()].some((d) => !feed.firstSeen.has(d)))
      await new Promise((r) => setTimeout(r, 100));
    feed.stop();
    await following;

    const phase = async (
      inPhase: (sentAt: number) => boolean,
      phaseSeconds: number,
      cpu: { from: Record<string, number | undefined>; to: Record<string, number | undefined>; reports: number },
    ): Promise<EndToEndPhase> => {
      const domains = [...probeAcks.keys()].filter((d) => inPhase(probeSent.get(d)!));
      const seen = domains.filter((d) => feed.firstSeen.has(d));
      const latencies = seen.map((d) => Math.max(0, feed.firstSeen.get(d)! - probeAcks.get(d)!)).sort((a, b) => a - b);
      const fromSent = seen.map((d) => feed.firstSeen.get(d)! - probeSent.get(d)!).sort((a, b) => a - b);
      const waits = ackWaits
        .filter((a) => inPhase(a.sentAt))
        .map((a) => a.wait)
        .sort((a, b) => a - b);
      const acked = new Map(seen.map((d) => [d, probeAckWall.get(d)!]));
      return {
        seconds: phaseSeconds,
        probes: domains.length,
        visible: seen.length,
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: latencies[latencies.length - 1] ?? NaN,
        fromSent: { p50: quantile(fromSent, 0.5), p95: quantile(fromSent, 0.95) },
        acknowledgement: { p50: quantile(waits, 0.5), p95: quantile(waits, 0.95), max: waits[waits.length - 1] ?? NaN },
        stages: await probeStages(pool, acked, feed.firstSeenWall),
        cpuPerReportUs: Object.fromEntries(
          services.map((s) => {
            const [from, to] = [cpu.from[s.name], cpu.to[s.name]];
            return [s.name, from === undefined || to === undefined ? undefined : ((to - from) * 1e6) / cpu.reports];
          }),
        ),
      };
    };
    const warmCpu = cpuAtWarm ?? cpuAtEnd;
    return {
      offeredPerSecond: perSecond,
      sent,
      acknowledged,
      refused,
      refusals,
      justStarted: await phase((t) => t < warmFrom, startSeconds, { from: cpuAtStart, to: warmCpu, reports: sentAtWarm }),
      warm: await phase((t) => t >= warmFrom, seconds, { from: warmCpu, to: cpuAtEnd, reports: sent - sentAtWarm }),
      peakRssMiB: Object.fromEntries(services.map((s) => [s.name, peakRssMiB(s.child.pid)])),
    };
  } finally {
    for (const service of services.reverse()) await service.terminate();
    sendsms.close();
    smsboxAgent.destroy();
  }
}

/**
 * Kannel's smsbox delivers MO messages over kept-alive connections and bounds
 * the requests it has pending (`max-pending-requests`); so does this client,
 * at 512. Beyond it, messages wait in the client as they would in Kannel.
 */
const smsboxAgent = new Agent({ keepAlive: true, maxSockets: 512 });

/** The intake answers a repeated id once, so keepAliveGet's retry on a reset connection is safe here. */
async function kannelGet(url: string): Promise<number> {
  const { status } = await keepAliveGet(new URL(url), 30_000, { maxBody: 0, agent: smsboxAgent });
  return status;
}

/** A client of the sharing feed, as an operator's firewall would run one: pages from its cursor and notes when each domain first appears. */
class FeedFollower {
  readonly firstSeen = new Map<string, number>();
  readonly firstSeenWall = new Map<string, number>();
  private cursor: string | undefined;
  private stopped = false;

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async catchUp(): Promise<void> {
    while (await this.page()) {
      // every page up to now
    }
  }

  async follow(): Promise<void> {
    while (!this.stopped) {
      if (!(await this.page())) await new Promise((r) => setTimeout(r, 25));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** One page; true when more may follow at once. */
  private async page(): Promise<boolean> {
    const url = `${this.baseUrl}/v1/indicators?limit=1000&type=domain${this.cursor ? `&cursor=${this.cursor}` : ''}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.key}` } });
    const seenAt = performance.now();
    if (res.status !== 200) throw new Error(`feed answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: Array<{ value: string; shared?: boolean }>; next: string; has_more: boolean };
    const seenWall = Date.now();
    for (const item of body.data) {
      if (this.firstSeen.has(item.value)) continue;
      this.firstSeen.set(item.value, seenAt);
      this.firstSeenWall.set(item.value, seenWall);
    }
    this.cursor = body.next;
    return body.has_more;
  }
}

/** Where a probe's time went, from the rows it left: the last of its reports stored and analysed, its domain shared. */
async function probeStages(
  pool: Pool,
  acked: Map<string, number>,
  seen: Map<string, number>,
): Promise<Record<string, { p50: number; p95: number }>> {
  const domains = [...acked.keys()].filter((d) => seen.has(d));
  const { rows } = await pool.query<{ domain: string; stored: Date; analysed: Date; shared: Date | null }>(
    `SELECT d AS domain,
            (SELECT max(stored_at) FROM reports WHERE body LIKE '%' || d || '%') AS stored,
            (SELECT max(analysed_at) FROM reports WHERE body LIKE '%' || d || '%') AS analysed,
            (SELECT shared_at FROM indicators WHERE type = 'domain' AND value = d) AS shared
       FROM unnest($1::text[]) AS d`,
    [domains],
  );
  const spans: Record<string, number[]> = {
    'acknowledged → stored': [],
    'stored → analysed': [],
    'analysed → shared': [],
    'shared → seen in the feed': [],
  };
  for (const r of rows) {
    if (!r.shared) continue;
    const points = [acked.get(r.domain)!, r.stored.getTime(), r.analysed.getTime(), r.shared.getTime(), seen.get(r.domain)!];
    Object.values(spans).forEach((list, i) => list.push(Math.max(0, points[i + 1]! - points[i]!)));
  }
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
  return Object.fromEntries(
    Object.entries(spans).map(([stage, list]) => [stage, { p50: quantile(sorted(list), 0.5), p95: quantile(sorted(list), 0.95) }]),
  );
}
