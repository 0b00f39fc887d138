/**
 * `npm run bench`: measured figures, printed as a table and written as JSON
 * (`--out FILE`). Runs on loopback against the configured PostgreSQL and Redis
 * (started locally when none answers), in a database and queue prefix of its own.
 *
 *   --reports N   reports per worker pass (default 20000; the worker row makes two: just started, then warm)
 *   --out FILE    where the JSON goes (default bench-results.json)
 *   --only LIST   comma-separated sections: intake, e2e, analysis, worker, feed, stats, footprint, classifier (default all;
 *                 `--only classifier` alone needs no database)
 *   --rate N      offered load of the end-to-end run, reports/s (default 500)
 *   --seconds N   length of each HTTP load run (default 10)
 *   --doc         also record the sections run in docs/bench-results.json and regenerate docs/PERFORMANCE.md
 *
 * SRS_CPU_PROFILE_DIR=DIR makes each service it starts write a V8 CPU profile
 * into DIR when it stops (open them in Chrome's DevTools, Performance tab).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { classify, defaultClassifier, shippedCorpora } from '@srs/classifier';
import { loadConfig, type Config } from '@srs/config';
import { analyseMessage, generateApiKey, pseudonymise, REPORT_CUBOIDS, simhashBands } from '@srs/core';
import { createPool, dropDatabase, ensureDatabase, migrate, seedDemoConsortium, type Pool } from '@srs/db';
import { ensureLocalServices } from '@srs/devstack';
import { createLogger } from '@srs/logging';
import { createRedis, InboxKeys, InboxWriter, type InboxEntry } from '@srs/queue';
import { ApiKeysRepository } from '@srs/db';
import { listen } from '@srs/http';
import { freePort, startService, waitForHttp, type ServiceProcess } from '@srs/testkit';
import { createSharingApp, encodeCursor, sealedIds } from '../services/sharing-api/src/index';
import { createStatsApp } from '../services/stats/src/index';

import { adversarialTexts } from './bench/adversarial-texts';
import { benchTexts } from './bench/corpus';
import { endToEnd, type EndToEndPhase } from './bench/end-to-end';
import { bareIntakeCeiling, intakeUnderLoad, type LoadResult } from './bench/intake-load';
import { bareWorkerCeiling } from './bench/bare-worker';
import { redisFootprint } from './bench/redis-footprint';
import { writePerformanceDoc } from './bench/performance-doc';
import { cpuPerItem, stackCpu, type StackCpu } from './bench/stack-cpu';
import { callsPerItem, redisCommandCalls } from './bench/process-stats';
import { quantile } from './bench/quantile';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const REPORTS = Number(option('reports', '20000'));
const OUT = option('out', 'bench-results.json');
const ONLY = option('only', 'intake,e2e,analysis,worker,feed,stats,footprint,classifier').split(',');
const RATE = Number(option('rate', '500'));
const SECONDS = Number(option('seconds', '10'));
/** The end-to-end run's first phase, reported apart: the services just started. */
const E2E_START_SECONDS = 10;
const DOC = args.includes('--doc');
const say = (line = '') => process.stdout.write(`${line}\n`);

interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function printRows(rows: Row[]): void {
  say('');
  say('| measure | value | unit | note |');
  say('|---|---:|---|---|');
  for (const r of rows) say(`| ${r.name} | ${format(r.value)} | ${r.unit} | ${r.note ?? ''} |`);
}

function finish(run: Record<string, Row[]>): void {
  const rows = Object.values(run).flat();
  printRows(rows);
  const at = new Date().toISOString();
  const machine = { cpus: cpus().length, node: process.version };
  writeFileSync(OUT, `${JSON.stringify({ at, machine, reports: REPORTS, results: rows }, null, 2)}\n`);
  say(`\n[bench] written to ${OUT}`);
  if (DOC) {
    writePerformanceDoc(run, at, machine);
    say('[bench] recorded in docs/bench-results.json and docs/PERFORMANCE.md');
  }
}

async function main(): Promise<void> {
  if (ONLY.every((section) => section === 'classifier')) {
    // The classifier is pure: no database, no queue.
    finish({ classifier: classifierRows() });
    return;
  }
  const base = loadConfig();
  const local = base.devstack.startLocalServices
    ? await ensureLocalServices(
        { databaseUrl: base.database.url, redisUrl: base.redis.url },
        { dataDir: base.devstack.dataDir, log: (l) => say(`[bench] ${l}`) },
      )
    : undefined;
  const dbUrl = new URL(base.database.url);
  dbUrl.pathname = `/srs_bench_${process.pid}`;
  await ensureDatabase(dbUrl.toString());
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    QUEUE_PREFIX: `srs-bench-${process.pid}`,
    LOG_LEVEL: 'warn',
  });
  const pool = createPool({ url: config.database.url, max: 10, applicationName: 'srs-bench' });
  const run: Record<string, Row[]> = {};
  const add = (section: string, ...rows: Row[]) => (run[section] ??= []).push(...rows);
  try {
    await migrate(pool);
    await seedDemoConsortium(pool);
    const texts = benchTexts(REPORTS);
    say(`[bench] ${REPORTS} reports from ${new Set(texts.map((t) => t.campaign)).size} campaign templates, 2,000 reporters, 2 operators`);

    if (ONLY.includes('intake')) add('intake', ...(await intakeVersusCeiling(config)));
    if (ONLY.includes('e2e')) add('e2e', ...(await endToEndRows(config, pool)));
    if (ONLY.includes('analysis')) add('analysis', ...analysisCost(texts.map((t) => t.text)), ...adversarialTexts());
    if (ONLY.includes('worker')) {
      add('worker', await bareBatchInsert(pool, REPORTS));
      const bare = await bareWorkerCeiling(
        config.redis.url,
        config.redis.prefix,
        pool,
        texts.map((t) => ({ reporter: `r${t.reporter}`, text: t.text })),
        config.worker.concurrency,
      );
      add('worker', {
        name: 'ceiling: bare BullMQ worker batch-inserting one row per job',
        value: bare,
        unit: 'jobs/s',
        note: `concurrency ${config.worker.concurrency}, the rows of running jobs in one statement`,
      });
      add('worker', await analyserAlone(config, pool, texts));
      const worker = await workerFromQueue(config, pool, texts);
      add('worker', ...worker.rows);
      add(
        'worker',
        { name: 'worker (just started) stored / bare worker', value: (100 * worker.cold.storedPerSecond) / bare, unit: '%' },
        {
          name: 'worker (just started) fully processed / bare worker',
          value: (100 * worker.cold.processedPerSecond) / bare,
          unit: '%',
          note: 'target: at least 3,000 reports/s fully processed',
        },
        { name: 'worker (warm) fully processed / bare worker', value: (100 * worker.warm.processedPerSecond) / bare, unit: '%' },
      );
      add('worker', await campaignLookupScaling(pool));
    }
    if (ONLY.includes('feed')) add('feed', ...(await feedLatency(config, pool)));
    if (ONLY.includes('stats')) add('stats', ...(await statsLatency(config, pool)));
    if (ONLY.includes('footprint')) add('footprint', ...(await footprintRows(config)));
    if (ONLY.includes('classifier')) add('classifier', ...classifierRows());
  } finally {
    await pool.end();
    await dropDatabase(dbUrl.toString()).catch(() => undefined);
    await removeKeys(config.redis.url, config.redis.prefix).catch(() => undefined);
    await local?.stop();
  }

  finish(run);
}

/**
 * The intake as deployed against its ceiling, the same load on a bare express
 * handler that only queues a BullMQ job: 50 connections of Kannel MO requests.
 */
/** Rounds of ceiling then intake, so that a machine busier in one part of the run weighs on both alike. */
const INTAKE_ROUNDS = 3;

async function intakeVersusCeiling(config: Config): Promise<Row[]> {
  const rounds: Array<{ bare: LoadResult; intake: LoadResult }> = [];
  for (let i = 0; i < INTAKE_ROUNDS; i++)
    rounds.push({ bare: await bareIntakeCeiling(config, SECONDS), intake: await intakeUnderLoad(config, SECONDS) });
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const ratios = rounds.map((r) => (100 * r.intake.requestsPerSecond) / r.bare.requestsPerSecond);
  const of = (pick: (r: LoadResult) => number | undefined, side: 'bare' | 'intake') => median(rounds.map((r) => pick(r[side]) ?? NaN));
  const note = `50 connections, ${SECONDS} s, Kannel MO GET; median of ${INTAKE_ROUNDS} rounds`;
  const errors = rounds.reduce((n, r) => n + r.intake.non2xx + r.intake.errors, 0);
  return [
    {
      name: 'ceiling: bare express handler queueing a BullMQ job',
      value: of((r) => r.requestsPerSecond, 'bare'),
      unit: 'requests/s',
      note: `${note}; p50 ${of((r) => r.p50, 'bare')} ms, p99 ${of((r) => r.p99, 'bare')} ms`,
    },
    {
      name: 'intake: Kannel MO reports acknowledged',
      value: of((r) => r.requestsPerSecond, 'intake'),
      unit: 'reports/s',
      note: `${note}; ${errors} not 2xx or errors in all`,
    },
    { name: 'intake: latency p50', value: of((r) => r.p50, 'intake'), unit: 'ms', note },
    { name: 'intake: latency p99', value: of((r) => r.p99, 'intake'), unit: 'ms', note },
    {
      name: 'intake / ceiling',
      value: median(ratios),
      unit: '%',
      note: `target at least 80%; rounds ${ratios.map((r) => r.toFixed(0)).join(', ')}`,
    },
    { name: 'ceiling: CPU per request', value: of((r) => r.cpuMicrosPerRequest, 'bare'), unit: 'µs', note: 'the handler process alone' },
    {
      name: 'intake: CPU per report',
      value: of((r) => r.cpuMicrosPerRequest, 'intake'),
      unit: 'µs',
      note: 'the intake process alone; Redis and the load generator take their own',
    },
    { name: 'intake: peak RSS', value: Math.max(...rounds.map((r) => r.intake.peakRssMiB ?? NaN)), unit: 'MiB' },
  ];
}

/** What Redis holds per message, to size it (docs/SCALING.md). */
async function footprintRows(config: Config): Promise<Row[]> {
  const f = await redisFootprint(config, 10_000);
  const note = `${f.messages} messages: a spam text, then its sender`;
  return [
    { name: 'Redis memory per message, queued', value: f.queuedBytes, unit: 'bytes', note },
    {
      name: 'Redis memory per message, processed, sender window open',
      value: f.windowBytes,
      unit: 'bytes',
      note: 'its report waits in the sender windows (one sorted-set member)',
    },
    { name: 'Redis memory per message, once processed', value: f.keptBytes, unit: 'bytes', note: 'markers and state, each until its TTL' },
    ...Object.entries(f.keptByKind).map(([kind, bytes]) => ({ name: `  of which ${kind}`, value: bytes, unit: 'bytes' })),
    { name: 'Redis AOF per message', value: f.aofBytes, unit: 'bytes', note: 'before any rewrite' },
    {
      name: 'Redis CPU per message',
      value: f.cpuMicros,
      unit: 'µs',
      note: 'intake and worker together, fsync on every write included; target at most 375 µs (half of 750 µs before the inbox)',
    },
    {
      name: 'Redis commands per message',
      value: f.commands.reduce((sum, [, n]) => sum + n, 0),
      unit: 'commands',
      note: `intake and worker together, those inside scripts included: ${f.commands
        .slice(0, 8)
        .map(([name, n]) => `${name} ${n.toFixed(2)}`)
        .join(', ')}`,
    },
  ];
}

/** From the intake to the sharing feed at a fixed offered load, just after the services started and once warm, and the services' memory. */
async function endToEndRows(config: Config, pool: Pool): Promise<Row[]> {
  const r = await endToEnd(config, pool, RATE, E2E_START_SECONDS, Math.max(SECONDS, 20));
  const phaseRows = (p: EndToEndPhase, label: string, target: string): Row[] => {
    const note = `offered ${r.offeredPerSecond} reports/s for ${p.seconds} s; ${p.visible} of ${p.probes} probes visible`;
    return [
      { name: `end to end (${label}): intake to indicator in the feed, p50`, value: p.p50, unit: 'ms', note },
      { name: `end to end (${label}): intake to indicator in the feed, p95`, value: p.p95, unit: 'ms', note: target },
      { name: `end to end (${label}): slowest probe`, value: p.max, unit: 'ms' },
      {
        name: `end to end (${label}): first report sent to indicator in the feed, p95`,
        value: p.fromSent.p95,
        unit: 'ms',
        note: `p50 ${format(p.fromSent.p50)} ms; the gateway's view: waiting for the acknowledgement included`,
      },
      {
        name: `end to end (${label}): acknowledgement latency, p95`,
        value: p.acknowledgement.p95,
        unit: 'ms',
        note: `p50 ${format(p.acknowledgement.p50)} ms, slowest ${format(p.acknowledgement.max)} ms; every report, sent to 202`,
      },
      ...Object.entries(p.stages).map(([stage, q]) => ({
        name: `end to end (${label}), stage ${stage}, p95`,
        value: q.p95,
        unit: 'ms',
        note: `p50 ${format(q.p50)} ms`,
      })),
      ...Object.entries(p.cpuPerReportUs).map(([service, us]) => ({
        name: `end to end (${label}): ${service} CPU per report`,
        value: us ?? NaN,
        unit: 'µs',
        note: 'all its threads, over the phase',
      })),
    ];
  };
  return [
    ...phaseRows(r.warm, 'warm', `target under 500 ms; after ${E2E_START_SECONDS} s of the same load from the start`),
    ...phaseRows(r.justStarted, `first ${E2E_START_SECONDS} s`, 'from the moment the services answer /readyz'),
    {
      name: 'end to end: reports refused or failed',
      value: r.refused,
      unit: 'reports',
      note: `target 0; ${r.acknowledged} of ${r.sent} acknowledged; ${JSON.stringify(r.refusals)}`,
    },
    ...Object.entries(r.peakRssMiB).map(([service, mib]) => ({
      name: `${service}: peak RSS under that load`,
      value: mib ?? NaN,
      unit: 'MiB',
    })),
  ];
}

/** Classification plus extraction of one message on one core: the CPU cost the worker pays per report. */
function analysisCost(texts: string[]): Row[] {
  const sample = texts.slice(0, 5000);
  for (const t of sample.slice(0, 500)) analyseMessage(t, { defaultCountry: 'GB' }, classify);
  const started = performance.now();
  for (const t of sample) analyseMessage(t, { defaultCountry: 'GB' }, classify);
  const perMessageUs = ((performance.now() - started) * 1000) / sample.length;
  const classifyStarted = performance.now();
  for (const t of sample) classify(t);
  const classifyUs = ((performance.now() - classifyStarted) * 1000) / sample.length;
  return [
    { name: 'classify one message', value: classifyUs, unit: 'µs', note: 'one core' },
    { name: 'normalise + fingerprint + classify + extract one message', value: perMessageUs, unit: 'µs', note: 'one core' },
  ];
}

/**
 * The classifier alone on real multilingual texts (the first 1,000 messages of each shipped
 * corpus, every language and script): one message at a time on one core, p50 and p99 of
 * the time per message, and messages per second. Target: under 200 µs a message.
 */
function classifierRows(): Row[] {
  const texts = shippedCorpora().flatMap((c) => c.examples.slice(0, 1000).map((e) => e.text));
  const classifier = defaultClassifier();
  for (const t of texts.slice(0, 1000)) classifier.classify(t); // warm up (loads the model, JIT)
  const times = new Float64Array(texts.length);
  const started = performance.now();
  for (let i = 0; i < texts.length; i++) {
    const t0 = performance.now();
    classifier.classify(texts[i]!);
    times[i] = (performance.now() - t0) * 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort();
  const at = (q: number): number => quantile(times, q);
  const note = `model ${classifier.version}, ${texts.length} messages in 8 corpora, one core`;
  return [
    { name: 'classifier: one message, p50', value: at(0.5), unit: 'µs', note: `${note}; target < 200 µs` },
    { name: 'classifier: one message, p99', value: at(0.99), unit: 'µs', note },
    { name: 'classifier: throughput', value: texts.length / seconds, unit: 'messages/s', note },
  ];
}

/** The ceiling: the same number of report-sized rows inserted in batches of 500, nothing else. */
async function bareBatchInsert(pool: Pool, n: number): Promise<Row> {
  await pool.query(
    'CREATE TABLE bench_ceiling (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, reporter text, body text, received_at timestamptz)',
  );
  const body = 'Royal Mail: your parcel is held, a £1.45 fee is unpaid. Pay at https://rm-fee.example/track today';
  const started = performance.now();
  for (let done = 0; done < n; done += 500) {
    const size = Math.min(500, n - done);
    await pool.query(
      'INSERT INTO bench_ceiling (reporter, body, received_at) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])',
      [
        Array.from({ length: size }, (_, i) => `r${done + i}`),
        Array.from({ length: size }, () => body),
        Array.from({ length: size }, () => new Date()),
      ],
    );
  }
  const perSecond = n / ((performance.now() - started) / 1000);
  return { name: 'ceiling: bare batch insert (500 rows a statement)', value: perSecond, unit: 'rows/s' };
}

/**
 * The analyser alone, in the worker as deployed (see workerFromQueue), on
 * reports already stored: dedup, classify, extract, cluster, score and
 * persist, in batches of ANALYSER_BATCH_SIZE, one transaction each. The
 * reports go in with one commit once the worker is ready, and the clock starts
 * at that commit; the worker looks every 20 ms when idle (100 ms by default),
 * so it finds them at once.
 */
async function analyserAlone(config: Config, pool: Pool, texts: Array<{ text: string; reporter: number; operator: string }>): Promise<Row> {
  const pseudonyms = benchPseudonyms(config);
  const worker = await startBenchWorker(config, { ANALYSER_IDLE_MS: '20' });
  let perSecond: number;
  try {
    const client = await pool.connect();
    let started: number;
    try {
      await client.query('BEGIN');
      for (let i = 0; i < texts.length; i += 1000) {
        const chunk = texts.slice(i, i + 1000);
        await client.query(
          `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at,
                                sender_kind, sender_value, sender_display, completion, completed_at)
           SELECT 'B' || lpad(to_hex(g), 7, '0'), op, 'kannel', 'pre-' || g, rep, '7726', body, now(), 'alphanumeric', 'BENCHSENDER', 'BENCHSENDER', 'one_message', now()
             FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS v(g, op, rep, body)`,
          [chunk.map((_, j) => i + j), chunk.map((t) => t.operator), chunk.map((t) => pseudonyms[t.reporter]!), chunk.map((t) => t.text)],
        );
      }
      await client.query('COMMIT');
      started = performance.now();
      client.release();
    } catch (err) {
      // A connection left inside a failed transaction is not given back to the pool.
      client.release(err as Error);
      throw err;
    }
    await untilAllAnalysed(pool);
    perSecond = texts.length / ((performance.now() - started) / 1000);
  } finally {
    await stopBenchWorker(worker);
  }
  return {
    name: 'analyser: reports fully processed (dedup, classify, extract, cluster, score, persist)',
    value: perSecond,
    unit: 'reports/s',
    note: `the worker as deployed; batches of ${config.analysis.batchSize}, ${config.analysis.threads} analysis thread(s)`,
  };
}

const benchPseudonyms = (config: Config) =>
  Array.from({ length: 2000 }, (_, i) => pseudonymise(`+4477009${String(i).padStart(5, '0')}`, config.privacy.msisdnHmacKey));

/** `node services/worker/dist/main.js` on the bench's database and queue prefix, once it answers /readyz. */
async function startBenchWorker(config: Config, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const healthPort = await freePort();
  const worker = startService('worker', {
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: config.redis.prefix,
    LOG_LEVEL: 'warn',
    WORKER_HEALTH_PORT: String(healthPort),
    ...env,
  });
  await waitForHttp(`http://127.0.0.1:${healthPort}/readyz`, 30_000, worker);
  return worker;
}

async function stopBenchWorker(worker: ServiceProcess): Promise<void> {
  const exitCode = await worker.terminate();
  if (exitCode !== 0) throw new Error(`the worker exited with ${exitCode} on SIGTERM:\n${worker.output()}`);
}

/**
 * Polls whether any report still waits for analysis: one probe of the index of
 * reports waiting, stopped at the first, so measuring costs the database next to
 * nothing (counting them all cost 5 ms a poll with 20,000 waiting, about 7 % of
 * the database's time in the worker run, on the same two cores as the worker).
 */
async function untilAllAnalysed(pool: Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ waiting: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM reports WHERE analysed_at IS NULL AND analysis_error IS NULL) AS waiting',
    );
    if (!rows[0]!.waiting) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One pass of the worker over the bench's jobs: how fast it stored and fully processed them, and what each cost. */
interface WorkerPass {
  storedPerSecond: number;
  processedPerSecond: number;
  cpu: StackCpu | undefined;
  /** Redis commands per report, writing it into the inbox included, by command */
  redisCommands: Array<[string, number]>;
  campaigns: number;
  indicators: number;
}

/**
 * The worker as deployed: its own process running the build (`node
 * services/worker/dist/main.js`, as in production, not this script's sources
 * through tsx), taking subscriber messages from the inbox (as the intake
 * records them: a report with its sender, no reply), deciding each,
 * one report stored per message, then deduplicated, classified, clustered,
 * extracted and scored by the analyser in batches.
 *
 * Two passes over the same reports from empty tables, in one worker process:
 * the first just after it started (its code not yet compiled by V8's
 * optimising compiler, its caches empty), the second once warm, as a worker
 * that has run for a while is. The target is read against the first. Each
 * pass writes its messages into the inbox as fast as Redis takes them
 * (pipelined) while the worker runs, and the clock starts with the first.
 */
async function workerFromQueue(
  config: Config,
  pool: Pool,
  texts: Array<{ text: string; reporter: number; operator: string }>,
): Promise<{ rows: Row[]; cold: WorkerPass; warm: WorkerPass }> {
  const producer = createRedis(config.redis.url, 'producer', { enableAutoPipelining: true });
  const inbox = new InboxWriter(producer, config.redis.prefix, config.inbox.partitions, 3600);
  const partitions = Array.from({ length: config.inbox.partitions }, (_, p) => new InboxKeys(config.redis.prefix, p));
  const waiting = async () => (await Promise.all(partitions.map((k) => producer.xlen(k.stream)))).reduce((a, b) => a + b, 0);
  const pseudonyms = benchPseudonyms(config);
  const entriesOf = (pass: string): InboxEntry[] =>
    texts.map((t, i) => ({
      v: 1,
      operatorId: t.operator,
      channel: { gateway: 'app', connection: 'bench' },
      gatewayMessageId: `bench-${pass}-${i}`,
      reporter: { pseudonym: pseudonyms[t.reporter]!, sealed: null },
      shortCode: '7726',
      text: t.text,
      sender: { kind: 'alphanumeric', value: 'BENCHSENDER', display: 'BENCHSENDER' },
      coding: 'gsm7',
      smsc: null,
      at: Date.now(),
      receivedAt: Date.now(),
      replies: false,
    }));
  const pass = async (worker: ServiceProcess, entries: InboxEntry[]): Promise<WorkerPass> => {
    const cpuBefore = await stackCpu(worker.child.pid, pool, producer);
    const callsBefore = await redisCommandCalls(producer);
    const started = performance.now();
    await Promise.all(entries.map((e) => inbox.append({ ...e, at: Date.now() }, `${e.gatewayMessageId}-${started}`)));
    // Cheap probes: the inbox's length, then the index of reports still waiting for analysis.
    while ((await waiting()) > 0) await new Promise((r) => setTimeout(r, 50));
    const storedAt = performance.now();
    await untilAllAnalysed(pool);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await stackCpu(worker.child.pid, pool, producer);
    const calls = callsPerItem(callsBefore, await redisCommandCalls(producer), texts.length);
    const { rows } = await pool.query<{ campaigns: number; indicators: number }>(
      'SELECT (SELECT count(*) FROM campaigns)::int AS campaigns, (SELECT count(*) FROM indicators)::int AS indicators',
    );
    return {
      storedPerSecond: texts.length / ((storedAt - started) / 1000),
      processedPerSecond: texts.length / seconds,
      cpu: cpuBefore && cpuAfter ? cpuPerItem(cpuBefore, cpuAfter, texts.length) : undefined,
      redisCommands: calls,
      ...rows[0]!,
    };
  };
  const emptyTables = () => pool.query('TRUNCATE reports, report_keys, campaigns, indicators, reporter_texts RESTART IDENTITY CASCADE');

  await emptyTables();
  // 2,000 reporters send ten reports each per pass, within the minute: the bench is not a flood to throttle.
  const worker = await startBenchWorker(config, { RATE_LIMIT_REPORTER_PER_MINUTE: '1000', RATE_LIMIT_REPORTER_PER_DAY: '100000' });
  let cold: WorkerPass;
  let warm: WorkerPass;
  try {
    // The partitions are leased once the worker is ready: the clock starts with the first message.
    cold = await pass(worker, entriesOf('cold'));
    await emptyTables();
    warm = await pass(worker, entriesOf('warm'));
  } finally {
    await stopBenchWorker(worker);
  }
  producer.disconnect();
  return { cold, warm, rows: [...passRows(cold, 'just started'), ...passRows(warm, 'warm')] };
}

function passRows(pass: WorkerPass, state: string): Row[] {
  // What each report cost the machine, whatever its speed at the time: the figure to compare changes by.
  const cpuRows: Row[] = pass.cpu
    ? [
        {
          name: `worker (${state}): CPU per report fully processed`,
          value: pass.cpu.worker,
          unit: 'µs',
          note: 'the worker process, all its threads',
        },
        {
          name: `worker (${state}): PostgreSQL CPU per report`,
          value: pass.cpu.postgres,
          unit: 'µs',
          note: "the backends of the bench's database",
        },
        {
          name: `worker (${state}): Redis CPU per report`,
          value: pass.cpu.redis,
          unit: 'µs',
          note: 'the message written into the inbox, read, decided and committed',
        },
      ]
    : [];
  return [
    { name: `worker (${state}): reports stored from the inbox`, value: pass.storedPerSecond, unit: 'reports/s' },
    {
      name: `worker (${state}): Redis commands per report`,
      value: pass.redisCommands.reduce((sum, [, n]) => sum + n, 0),
      unit: 'commands',
      note: `written, read, decided, committed; inside scripts included: ${pass.redisCommands
        .slice(0, 6)
        .map(([name, n]) => `${name} ${n.toFixed(2)}`)
        .join(', ')}`,
    },
    {
      name: `worker (${state}) from the inbox: reports stored and fully processed`,
      value: pass.processedPerSecond,
      unit: 'reports/s',
      note: `${pass.campaigns} campaigns, ${pass.indicators} indicators`,
    },
    ...cpuRows,
  ];
}

/** Leaves Redis as it was: every key under the bench's prefix (its queues, markers and limits, for up to a week) goes. */
async function removeKeys(url: string, prefix: string): Promise<void> {
  // Queued until connected, unlike a producer's commands: the bench may end before its first connection is up.
  const redis = createRedis(url, 'client', { enableOfflineQueue: true });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await (redis as import('ioredis').Redis).scan(cursor, 'MATCH', `${prefix}[-:]*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Campaign lookup goes through LSH bands: its cost must not grow with the number of campaigns. */
async function campaignLookupScaling(pool: Pool): Promise<Row> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM campaigns');
  const started = performance.now();
  for (let i = 0; i < 200; i++) {
    const hash = Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    await pool.query(
      'SELECT DISTINCT c.id, c.simhash FROM campaign_bands b JOIN campaigns c ON c.id = b.campaign_id WHERE b.band = ANY($1::text[])',
      [simhashBands(hash)],
    );
  }
  return {
    name: 'campaign candidate lookup (all bands of one message)',
    value: (performance.now() - started) / 200,
    unit: 'ms',
    note: `${rows[0]!.n} campaigns stored`,
  };
}

/** The sharing feed: pages of 1,000 indicators with 100,000 stored, over HTTP with an operator key. */
async function feedLatency(config: Config, pool: Pool): Promise<Row[]> {
  const STORED = 100_000;
  await pool.query(
    `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
     SELECT 'domain', 'bench-' || g || '.top', 'smishing', 0.9, now(), now(), 0.8, true, true, 3, 1 FROM generate_series(1, $1) g
     ON CONFLICT DO NOTHING`,
    [STORED],
  );
  await pool.query('ANALYZE indicators');
  const { key, prefix, hash } = generateApiKey();
  await new ApiKeysRepository(pool).create({
    id: `key_bench_${process.pid}`,
    operatorId: 'demo-uk',
    name: 'bench',
    prefix,
    hash,
    scopes: ['read'],
  });
  const redis = createRedis(config.redis.url, 'producer');
  const server = await listen(
    createSharingApp({ config, logger: createLogger({ name: 'bench-sharing', level: 'warn' }), pool, redis }),
    0,
    '127.0.0.1',
  );
  const { rows } = await pool.query<{ min: string; max: string }>('SELECT min(seq)::text AS min, max(seq)::text AS max FROM indicators');
  const low = Number(rows[0]!.min);
  const span = Number(rows[0]!.max) - low - 1000;
  const times: number[] = [];
  let served = 0;
  for (let i = 0; i < 300; i++) {
    const after = BigInt(low + Math.floor(Math.random() * span));
    const cursor = encodeCursor(sealedIds(config.sharing.idKey), after);
    const started = performance.now();
    const res = await fetch(`${server.url}/v1/indicators?limit=1000&cursor=${cursor}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { data: unknown[] };
    if (i >= 20) times.push(performance.now() - started);
    served = body.data.length;
  }
  await server.close(1000);
  redis.disconnect();
  times.sort((a, b) => a - b);
  const at = (q: number) => quantile(times, q);
  const note = `${STORED.toLocaleString('en-GB')} indicators stored, ${served} per page, over HTTP`;
  return [
    { name: 'feed page of 1,000 indicators, p50', value: at(0.5), unit: 'ms', note },
    { name: 'feed page of 1,000 indicators, p99', value: at(0.99), unit: 'ms', note },
  ];
}

/**
 * Regulator statistics over a year of rollups at national scale (about 100
 * million reports a year: some 2,000 rollup rows a day across operators,
 * categories, origin countries, sender types and link kinds), over HTTP,
 * disclosure control included.
 */
async function statsLatency(config: Config, pool: Pool): Promise<Row[]> {
  const dims = `unnest(ARRAY['op-a', 'op-b', 'op-c', 'op-d']) op, unnest(ARRAY['smishing', 'fraud', 'marketing', 'malware', 'premium_rate', 'other', 'not_spam']) cat,
    unnest(ARRAY['GB', 'FR', 'NG', 'IN', 'ID', 'US', 'PH', 'CN', 'BR', 'ZA', 'DE', 'ES', 'IT', 'PK', 'BD', 'VN', 'TH', 'MX', 'EG', 'ZZ']) cc,
    unnest(ARRAY['long_number', 'short_code', 'alphanumeric', 'none']) st, unnest(ARRAY['none', 'link', 'shortener']) lk`;
  for (const op of ['op-a', 'op-b', 'op-c', 'op-d'])
    await pool.query(`INSERT INTO operators (id, name, country) VALUES ($1, $1, 'GB') ON CONFLICT DO NOTHING`, [op]);
  // Every combination that occurs, then each cuboid of the cube as its sums, as the worker's rollup keeps them.
  await pool.query(
    `CREATE TEMP TABLE bench_detail (grain text, bucket timestamptz, op text, cat text, cc text, st text, lk text, reports int)`,
  );
  await pool.query(
    `INSERT INTO bench_detail SELECT 'day', d, op, cat, cc, st, lk, 1 + floor(-ln(random()) * 130)::int
       FROM generate_series(date_trunc('day', now()) - interval '364 days', date_trunc('day', now()), interval '1 day') d, ${dims}
      WHERE random() < 0.3`,
  );
  await pool.query(
    `INSERT INTO bench_detail SELECT 'hour', h, op, cat, cc, st, lk, 1 + floor(-ln(random()) * 12)::int
       FROM generate_series(date_trunc('hour', now()) - interval '31 days', date_trunc('hour', now()), interval '1 hour') h, ${dims}
      WHERE random() < 0.12`,
  );
  for (const cuboid of REPORT_CUBOIDS) {
    const keep = (bit: number, column: string) => ((cuboid & bit) === bit ? column : `''`);
    await pool.query(
      `INSERT INTO stats_reports (grain, cuboid, bucket, operator_id, category, origin_country, sender_type, link_kind, reports)
       SELECT grain, ${cuboid}, bucket, op, ${keep(1, 'cat')}, ${keep(2, 'cc')}, ${keep(4, 'st')}, ${keep(8, 'lk')}, sum(reports)
         FROM bench_detail GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    );
  }
  await pool.query('ANALYZE stats_reports');
  const { rows: sizes } = await pool.query<{ grain: string; n: string; reports: string }>(
    `SELECT grain, count(*) AS n, sum(reports) FILTER (WHERE cuboid = 0) AS reports FROM stats_reports GROUP BY 1`,
  );
  const { key, prefix, hash } = generateApiKey();
  await new ApiKeysRepository(pool).create({
    id: `key_bench_stats_${process.pid}`,
    regulatorId: 'demo-regulator',
    name: 'bench',
    prefix,
    hash,
    scopes: ['stats'],
  });
  const redis = createRedis(config.redis.url, 'producer');
  const server = await listen(
    createStatsApp({ config, logger: createLogger({ name: 'bench-stats', level: 'warn' }), pool, redis }),
    0,
    '127.0.0.1',
  );
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  const year = `from=${day(364)}&to=${day(0)}`;
  const cases: Array<[string, string]> = [
    ['a year by day, totals', `/v1/stats/reports?grain=day&${year}`],
    ['a year by day, by category', `/v1/stats/reports?grain=day&by=category&${year}`],
    ['a year by week, by origin country', `/v1/stats/reports?grain=week&by=country&${year}`],
    ['a year by day, by operator, one category', `/v1/stats/reports?grain=day&by=operator&category=smishing&${year}`],
    ['a year, summary', `/v1/stats/summary?${year}`],
    ['a month by hour, by category', `/v1/stats/reports?grain=hour&by=category&from=${day(30)}&to=${day(0)}`],
  ];
  const out: Row[] = [];
  const daily = sizes.find((s) => s.grain === 'day');
  const note = `${Number(daily?.n ?? 0).toLocaleString('en-GB')} daily rollup rows (12 cuboids) for ${Number(daily?.reports ?? 0).toLocaleString('en-GB')} reports, over HTTP`;
  // The first question protects every week of the year once (then each week is kept): what a regulator waits for first.
  const cold = performance.now();
  const first = await fetch(`${server.url}${cases[1]![1]}`, { headers: { authorization: `Bearer ${key}` } });
  await first.arrayBuffer();
  if (first.status !== 200) throw new Error(`${cases[1]![1]}: ${first.status}`);
  out.push({
    name: 'statistics: a year by day, by category, first request (protects 53 weeks)',
    value: performance.now() - cold,
    unit: 'ms',
    note,
  });
  for (const [name, path] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i >= 5) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out.push({ name: `statistics: ${name}, p50`, value: quantile(times, 0.5), unit: 'ms', note });
    out.push({ name: `statistics: ${name}, p95`, value: quantile(times, 0.95), unit: 'ms', note });
  }
  await server.close(1000);
  redis.disconnect();
  return out;
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-GB') : value.toFixed(2);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
