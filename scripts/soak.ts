/**
 * `npm run soak`: proves that no report the intake acknowledged is lost, nor
 * stored twice, while the system is hurt under a steady load (docs/OPERATIONS.md,
 * "Durability").
 *
 * For a minute it sends Kannel MO requests to the real intake (built, run as a
 * child process), each a complete report with its own message id, and retries
 * the unacknowledged ones as a gateway would; meanwhile it SIGKILLs the worker
 * twice, crashes and restarts Redis, makes PostgreSQL refuse connections for
 * 10 s and restarts the intake gracefully (SIGTERM). Then it waits for the
 * worker to empty the inbox (every partition's stream) and counts: every 2xx
 * must be exactly one row in `reports`, and no message may have been set
 * aside in a partition's dead-letter stream. The subscribers are kept under
 * the per-subscriber rate limit (the worker throttles a flooding subscriber
 * after the intake acknowledged their messages), so every acknowledged message
 * is a report expected in the database.
 *
 * It never touches the machine's PostgreSQL or Redis servers: it runs its own
 * redis-server (AOF, fsync always, noeviction) on a free port with its data in
 * a temporary folder, reaches PostgreSQL through a TCP proxy of its own (which
 * it cuts), and uses a database (dropped at the end) and queue prefix of its own.
 *
 *   --duration S       seconds of load (default 60)
 *   --rate N           messages per second (default 40)
 *   --retry-for S      seconds unacknowledged messages are still retried after the load (default 60)
 *   --drain-timeout S  seconds to wait for the worker to store everything (default 180)
 *   --keep             keep the temporary folder (logs, Redis data) even when nothing went wrong
 *                      (it is kept anyway after a loss, a duplicate, a dead letter, a failed fault or a crash)
 *
 * Prints progress, then sent / acknowledged / stored / duplicates / lost, and as
 * its last line one JSON object with those counts and the dead letters. Exit
 * code 0 when lost, duplicates and dead letters are all 0 (and every fault was
 * injected), else 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { loadConfig } from '@srs/config';
import { createPool, dropDatabase, ensureDatabase, migrate, seedDemoConsortium } from '@srs/db';
import { ensurePostgres, type LocalService } from '@srs/devstack';
import { createRedis, queuePrefix, QUEUES } from '@srs/queue';
import { describe, describeInbox, inboxState, waitForWorker } from './soak/drain';
import { deadLetters, describeTakeovers, InboxWatch, workerLogEvidence } from './soak/evidence';
import { FAULTS, runFaults, type FaultRecord } from './soak/faults';
import { LoadGenerator } from './soak/load';
import { PgProxy } from './soak/pg-proxy';
import { SoakRedis, DURABLE_REDIS_SETTINGS } from './soak/redis-process';
import { count, storedRows, summaryLines, type SoakCounts } from './soak/report';
import { SendsmsSink, SupervisedService } from './soak/services';
import { elapsedMs, freePort, resetClock, say } from './soak/util';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
};
const DURATION_MS = option('duration', 60) * 1000;
const RATE = option('rate', 40);
const RETRY_FOR_MS = option('retry-for', 60) * 1000;
const DRAIN_TIMEOUT_MS = option('drain-timeout', 180) * 1000;
const KEEP = args.includes('--keep');
/** Subscribers the load is spread over, round robin. */
const REPORTERS = 1000;
/**
 * The per-subscriber limits (a minute, a day) the services run with. The
 * worker throttles a subscriber over them, their messages acknowledged but
 * never stored: the soak proves durability, not the limits, so they are set
 * far above what any subscriber sends in the whole run.
 */
const REPORTER_LIMIT = String(Math.max(1_000_000, 2 * Math.ceil((RATE * DURATION_MS) / 1000 / REPORTERS)));

/** Everything the soak started, stopped in reverse order however it ends. */
const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
const onCleanup = (what: string, run: () => Promise<unknown>) => cleanups.unshift({ what, run });
async function cleanUp(): Promise<void> {
  for (const { what, run } of cleanups.splice(0)) {
    await run().catch((err) => say(`cleanup: ${what} failed: ${err instanceof Error ? err.message : err}`));
  }
}

async function main(): Promise<{ counts: SoakCounts & { dead: number }; faultsFailed: number }> {
  const runId = randomBytes(4).toString('hex');
  const dir = mkdtempSync(path.join(tmpdir(), `srs-soak-${runId}-`));
  let keepDir = KEEP;
  onCleanup('temporary folder', async () =>
    keepDir ? say(`logs and Redis data kept in ${dir}`) : rmSync(dir, { recursive: true, force: true }),
  );
  say(`run ${runId}: ${DURATION_MS / 1000} s at ${RATE} messages/s; logs in ${dir}`);

  // PostgreSQL: the configured server (started locally only when none answers, as npm start does), a database of our own.
  const base = loadConfig();
  const local: LocalService | undefined = base.devstack.startLocalServices
    ? await ensurePostgres(base.database.url, base.devstack.dataDir, (l) => say(l))
    : undefined;
  if (local) onCleanup('local PostgreSQL', () => local.stop());
  const dbUrl = new URL(base.database.url);
  dbUrl.pathname = `/srs_soak_${runId}`;
  await ensureDatabase(dbUrl.toString());
  onCleanup('soak database', () => dropDatabase(dbUrl.toString()));
  const pool = createPool({ url: dbUrl.toString(), max: 2, applicationName: 'srs-soak' });
  onCleanup('database pool', () => pool.end());
  await migrate(pool);
  await seedDemoConsortium(pool);

  // The services reach PostgreSQL only through the proxy, so the soak can cut it.
  const proxy = new PgProxy(await freePort(), { host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  await proxy.start();
  onCleanup('PostgreSQL proxy', () => proxy.stop());

  const redis = new SoakRedis(await freePort(), dir);
  await redis.start();
  onCleanup('soak Redis', () => redis.stop('SIGTERM'));
  say(
    `Redis on port ${redis.port} (${Object.entries(DURABLE_REDIS_SETTINGS)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); PostgreSQL through the proxy on port ${proxy.port}`,
  );

  const sink = new SendsmsSink();
  await sink.start();
  onCleanup('sendsms sink', () => sink.close());

  const prefix = `srs-soak-${runId}`;
  const partitions = base.inbox.partitions;
  const [intakePort, workerPort] = [await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'warn',
    DATABASE_URL: proxy.rewrite(dbUrl.toString()),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    INTAKE_PORT: String(intakePort),
    WORKER_HEALTH_PORT: String(workerPort),
    OPERATOR_ID: 'demo-uk',
    KANNEL_SENDSMS_URL: sink.url,
    START_LOCAL_SERVICES: 'false',
    INBOX_PARTITIONS: String(partitions),
    RATE_LIMIT_REPORTER_PER_MINUTE: REPORTER_LIMIT,
    RATE_LIMIT_REPORTER_PER_DAY: REPORTER_LIMIT,
  };
  const worker = new SupervisedService('worker', env, `http://127.0.0.1:${workerPort}/healthz`, path.join(dir, 'worker.log'));
  const intake = new SupervisedService('intake', env, `http://127.0.0.1:${intakePort}/healthz`, path.join(dir, 'intake.log'));
  await worker.start();
  onCleanup('worker', () => worker.stop());
  await intake.start();
  onCleanup('intake', () => intake.stop());
  say(`intake on port ${intakePort}, worker health on port ${workerPort}, key prefix ${prefix}, ${partitions} inbox partitions`);

  // Who holds the inbox's partitions, to see them taken over after a kill; the same client reads the inbox.
  const inboxRedis = createRedis(redis.url, 'client');
  onCleanup('inbox client', () => inboxRedis.quit());
  const watch = new InboxWatch(inboxRedis, prefix, partitions);
  watch.start();
  onCleanup('inbox watch', () => watch.stop());

  // The load, and the faults while it runs.
  const load = new LoadGenerator({
    intakeUrl: `http://127.0.0.1:${intakePort}`,
    runId,
    ratePerSecond: RATE,
    durationMs: DURATION_MS,
    retryForMs: RETRY_FOR_MS,
    reporters: REPORTERS,
    requestTimeoutMs: 10_000,
  });
  resetClock();
  const ticker = setInterval(() => {
    const p = load.progress();
    void inboxState(inboxRedis, prefix, partitions)
      .then((s) => `inbox waiting ${s.waiting}`)
      .catch(() => 'inbox unreadable')
      .then((inbox) => say(`sent ${p.sent}, acknowledged ${p.acknowledged}, waiting for an answer or a retry ${p.pending}; ${inbox}`));
  }, 5000);
  let faults: FaultRecord[];
  try {
    [faults] = await Promise.all([
      runFaults(FAULTS, { intake, worker, redis, postgres: proxy, load }, DURATION_MS),
      load.run(() => say('load over: retrying what is not acknowledged yet')),
    ]);
  } finally {
    clearInterval(ticker);
  }
  const progress = load.progress();
  say(
    `all messages answered: ${progress.acknowledged} of ${progress.sent} acknowledged; answers ${describe(Object.fromEntries(load.answers))}`,
  );

  // Wait for the worker to empty the inbox (and send the replies it queued), then count.
  const outbound = new Queue(QUEUES.outbound, {
    connection: { host: '127.0.0.1', port: redis.port },
    prefix: queuePrefix(prefix, QUEUES.outbound),
  });
  onCleanup('outbound queue client', () => outbound.close());
  const acknowledgedIds = load.deliveries.filter((d) => d.outcome !== undefined).map((d) => d.id);
  const drained = await waitForWorker(pool, { redis: inboxRedis, prefix, partitions, outbound }, acknowledgedIds, DRAIN_TIMEOUT_MS);
  await watch.stop();
  say(
    `worker: ${drained.how} after ${(drained.ms / 1000).toFixed(1)} s (${drained.stored}/${acknowledgedIds.length} acknowledged reports stored); ${describeInbox(drained.state)}`,
  );
  const decided = await decidedCounts(`http://127.0.0.1:${workerPort}/metrics`);
  say(
    `messages the worker decided since it last started (srs_inbox_decided_total): ${decided ? describe(decided) || 'none' : 'metrics unreadable'}`,
  );
  const logged = workerLogEvidence(path.join(dir, 'worker.log'));
  say(
    `failed attempts the worker logged (retried with backoff): ${logged.failedAttempts.total}${[...logged.failedAttempts.byError].map(([e, n]) => `\n    ${n} × ${e}`).join('')}`,
  );
  say(
    `inbox partitions taken over from a killed worker (lease lapsed, new owner seen): ${watch.takeovers.length}${watch.takeovers.length ? ` (${describeTakeovers(watch.takeovers)})` : ''}; commits refused for a lost lease: ${logged.leaseLost}`,
  );
  const dead = await deadLetters(inboxRedis, prefix, partitions, 20);
  say(`messages set aside in the dead-letter streams: ${dead.total} (the worker logged ${logged.setAside})`);
  for (const d of dead.reasons) say(`    dead letter ${d.id} in partition ${d.partition}: ${d.reason}`);

  const { counts, details } = count(load.deliveries, await storedRows(pool, runId));
  for (const service of [intake, worker]) {
    const exits = service.unexpectedExits().map((e) => `${(elapsedMs(e.at) / 1000).toFixed(1)} s (${e.signal ?? `code ${e.code}`})`);
    if (exits.length)
      say(
        `${service.name} exited on its own ${exits.length} time(s), and was started again a second later: at ${exits.join(', ')}; see ${service.name}.log`,
      );
  }
  say(
    `faults: ${faults.map((f) => `${f.name} at ${(f.startedAtMs / 1000).toFixed(1)} s${f.error ? ` FAILED (${f.error})` : ''}`).join('; ')}`,
  );
  const repeated = sink.repeated();
  say(
    `replies the worker handed to the sendsms stand-in: ${sink.received}, ${sink.byReply.size} different, ${repeated.replies} of them more than once (${repeated.extra} extra; at least once: a reply being sent when the worker dies is sent again)`,
  );
  for (const { reply, atMs } of repeated.sample) say(`    received at ${atMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s: ${reply}`);
  for (const line of summaryLines(counts, details)) process.stdout.write(`${line}\n`);
  process.stdout.write(`dead letters  ${dead.total}\n`);
  const faultsFailed = faults.filter((f) => f.error).length;
  if (faultsFailed > 0) say(`${faultsFailed} fault(s) could not be injected: this run proves less than it should`);
  const crashes = intake.unexpectedExits().length + worker.unexpectedExits().length;
  // Logs worth reading are kept: a loss, a duplicate, a dead letter, a fault that failed, a service that died on its own.
  if (counts.lost > 0 || counts.duplicates > 0 || dead.total > 0 || faultsFailed > 0 || crashes > 0) keepDir = true;
  return { counts: { ...counts, dead: dead.total }, faultsFailed };
}

/** The worker's srs_inbox_decided_total by outcome (since its last start: a killed worker's counts are gone), or undefined. */
async function decidedCounts(metricsUrl: string): Promise<Record<string, number> | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    const counts: Record<string, number> = {};
    for (const m of (await res.text()).matchAll(/^srs_inbox_decided_total\{[^}]*\boutcome="([^"]+)"[^}]*\} (\S+)$/gm))
      counts[m[1]!] = (counts[m[1]!] ?? 0) + Number(m[2]);
    return counts;
  } catch {
    return undefined;
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: stopping everything the soak started`);
    void cleanUp().then(() => process.exit(130));
  });
}

main()
  .then(async ({ counts, faultsFailed }) => {
    await cleanUp();
    if (interrupted) return;
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    process.exit(counts.lost === 0 && counts.duplicates === 0 && counts.dead === 0 && faultsFailed === 0 ? 0 : 1);
  })
  .catch(async (err) => {
    say(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    await cleanUp();
    process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(1);
  });
