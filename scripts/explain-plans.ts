/**
 * `npm run -s explain`: the query plans of the database at 5 million reports.
 * Creates a scratch database (srs_explain_<pid>) on the configured
 * PostgreSQL, migrates it, generates reports spread over 13 months (and the
 * campaigns, indicators, rollups and audit entries around them) in SQL, runs
 * VACUUM ANALYZE, then records the plans of the statements the repositories
 * send for the feed, the analyser, the rollup, the statistics, look-ups,
 * idempotent inserts and retention, and writes docs/DATABASE-PLANS.md.
 * The scratch database is dropped at the end.
 *
 *   --reports N   reports to generate (default 5000000)
 *   --out FILE    where the plans go (default docs/DATABASE-PLANS.md)
 *   --keep        keep the scratch database (its URL is printed)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@srs/config';
import { createPool, dropDatabase, ensureDatabase, migrate, PartitionsRepository, seedDemoConsortium, type Pool } from '@srs/db';
import { PlanRecorder } from './explain/capture';
import { generate, type DataSet } from './explain/generate';
import { explainOperations } from './explain/operations';
import { renderPlans, type Environment } from './explain/report';
import { compareRetention } from './explain/retention';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const REPORTS = Number(option('reports', '5000000'));
const OUT = path.resolve(__dirname, '..', option('out', 'docs/DATABASE-PLANS.md'));
const KEEP = args.includes('--keep');
const say = (line: string) => process.stdout.write(`[explain] ${line}\n`);

async function main(): Promise<void> {
  const base = loadConfig();
  const url = new URL(base.database.url);
  url.pathname = `/srs_explain_${process.pid}`;
  await ensureDatabase(url.toString());
  const pool = createPool({ url: url.toString(), max: 4, applicationName: 'srs-explain' });
  try {
    await migrate(pool);
    await seedDemoConsortium(pool);
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1));
    const set: DataSet = {
      reports: REPORTS,
      from,
      to: now,
      campaigns: Math.round(REPORTS / 25),
      indicators: Math.round(REPORTS / 10),
      publishedIndicators: Math.round(REPORTS / 250),
      auditEntries: Math.round(REPORTS / 5),
      unanalysed: Math.min(20_000, Math.round(REPORTS / 250)),
      uncounted: Math.min(50_000, Math.round(REPORTS / 100)),
    };
    const partitions = new PartitionsRepository(pool);
    for (let m = 0; m <= 12; m++) {
      const month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + m, 1));
      await partitions.ensureMonth('reports', month);
      await partitions.ensureMonth('audit_log', month);
    }
    say(`generating ${REPORTS.toLocaleString('en')} reports from ${from.toISOString().slice(0, 10)} in ${url.pathname.slice(1)}`);
    const started = Date.now();
    await generate(pool, set, say);
    const env = await environment(pool, (Date.now() - started) / 1000);

    const recorder = new PlanRecorder(pool);
    say('recording plans');
    const ops = await explainOperations(recorder, pool, now);
    say('retention: a month row by row, a month dropped');
    const retention = await compareRetention(recorder, pool, ops);
    writeFileSync(OUT, renderPlans(set, env, ops, retention, new Date()));
    for (const op of ops)
      say(`  ${op.title}: ${op.statements.reduce((s, x) => s + (x.executionMs ?? 0), 0).toFixed(2)} ms execution, ${op.wallMs} ms wall`);
    say(`written to ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await pool.end();
    if (KEEP) say(`kept ${url.toString()}`);
    else await dropDatabase(url.toString());
  }
}

async function environment(pool: Pool, generatedSeconds: number): Promise<Environment> {
  const version = (await pool.query<{ v: string }>(`SELECT split_part(version(), ' on ', 1) AS v`)).rows[0]!.v;
  const settings: Record<string, string> = {};
  for (const name of ['shared_buffers', 'work_mem', 'random_page_cost', 'effective_cache_size']) {
    settings[name] = (await pool.query<{ s: string }>(`SELECT current_setting($1) AS s`, [name])).rows[0]!.s;
  }
  const { rows: partitions } = await pool.query<{ name: string; rows: number; size: string }>(
    `SELECT c.relname AS name, c.reltuples::bigint::int AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'reports'::regclass ORDER BY c.relname`,
  );
  const sizes: Environment['sizes'] = [];
  for (const table of ['reports', 'report_keys', 'campaigns', 'indicators', 'published_indicators', 'stats_reports', 'audit_log']) {
    const { rows } = await pool.query<{ rows: number; size: string }>(
      `SELECT (SELECT count(*) FROM ${table})::int AS rows,
              pg_size_pretty(COALESCE((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = $1::regclass), 0)
                             + pg_total_relation_size($1::regclass)) AS size`,
      [table],
    );
    sizes.push({ table, ...rows[0]! });
  }
  return {
    postgres: version,
    settings,
    cpus: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    generatedSeconds,
    partitions,
    sizes,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
