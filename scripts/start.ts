/**
 * `npm start`: the whole service on a developer's machine with one command.
 * Starts PostgreSQL and Redis when they do not answer at the configured URLs,
 * creates and migrates the database, seeds the demo consortium, runs every
 * service and says how to send a first report. Ctrl-C stops what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '@srs/config';
import {
  ApiKeysRepository,
  type ApiScope,
  createPool,
  DEMO_CONSORTIUM,
  ensureDatabase,
  migrate,
  seedDemoConsortium,
  type Pool,
} from '@srs/db';
import { ensureKannelMoToken, ensureLocalServices, PROJECT_ROOT, type LocalServices } from '@srs/devstack';
import { prettyFactory } from 'pino-pretty';

const SERVICES = ['intake', 'worker', 'sharing-api', 'stats'] as const;
/**
 * Every scope the operators' portal (/portal/) offers a view for: read (its
 * lists), feedback (Blocked / False positive, revoking them), admin (webhooks
 * and keys), so a newcomer sees all of it. A local demo key, revoked on the
 * next start.
 */
const PORTAL_SCOPES: ApiScope[] = ['read', 'feedback', 'admin'];
/** Keys `npm start` makes for the demo regulator and the demo operator carry this name; each start revokes the previous one. */
const START_KEY_NAME = 'npm start';
const say = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  let local: LocalServices | undefined;
  if (config.devstack.startLocalServices) {
    local = await ensureLocalServices(
      { databaseUrl: config.database.url, ...(config.redis.clusterNodes.length === 0 ? { redisUrl: config.redis.url } : {}) },
      { dataDir: config.devstack.dataDir, log: (line) => say(`[start] ${line}`) },
    );
  }

  if (await ensureDatabase(config.database.url)) say(`[start] created database ${new URL(config.database.url).pathname.slice(1)}`);
  const pool = createPool({ url: config.database.url, max: 1, applicationName: 'srs-start' });
  const applied = await migrate(pool);
  if (applied.length) say(`[start] applied migrations ${applied.join(', ')}`);
  await seedDemoConsortium(pool);
  const regulatorKey = await demoKey(pool, { regulatorId: DEMO_CONSORTIUM.regulators[0].id }, ['stats']);
  // The operator this intake serves, so the reports `srs demo` sends show as its own network in the portal.
  const portalOperator = DEMO_CONSORTIUM.operators.some((o) => o.id === config.operator.id)
    ? config.operator.id
    : DEMO_CONSORTIUM.operators[0].id;
  const operatorKey = await demoKey(pool, { operatorId: portalOperator }, PORTAL_SCOPES);
  await pool.end();
  const kannelToken = kannelMoToken(config);
  const env = kannelToken ? { ...process.env, KANNEL_MO_TOKEN: kannelToken } : process.env;

  const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service,name', translateTime: 'HH:MM:ss' });
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\n[start] stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await local?.stop();
    say('[start] stopped');
    process.exit(code);
  };

  const mains: Array<[string, string]> = SERVICES.map((name) => [name, path.join(PROJECT_ROOT, 'services', name, 'dist', 'main.js')]);
  // An SMSC bound over SMPP: the bind is a process of its own (docs/GATEWAYS.md), not awaited as ready (the SMSC may be away).
  if (config.smpp) mains.push(['intake-smpp', path.join(PROJECT_ROOT, 'services', 'intake', 'dist', 'smpp-main.js')]);
  for (const [name, main] of mains) {
    const child = spawn(process.execPath, [main], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(name, child);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const shown = line.startsWith('{') ? pretty(line).trimEnd() : line;
        say(`[${name}] ${shown}`);
      });
    }
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  const intake = `http://${host}:${config.intake.port}`;
  const worker = `http://${host}:${config.worker.healthPort}`;
  const sharing = `http://${host}:${config.sharing.port}`;
  const stats = `http://${host}:${config.stats.port}`;
  await Promise.all([intake, worker, sharing, stats].map((url) => waitReady(`${url}/readyz`)));
  banner(config, { intake, worker, sharing, stats }, { regulatorKey, operatorKey, portalOperator }, kannelToken);
}

/** A token for the development Kannel connection unless one, smsbox addresses or INTAKE_ROUTES are configured. */
function kannelMoToken(config: ReturnType<typeof loadConfig>): string | undefined {
  const open = config.routing.kannel.some((k) => !k.moToken && k.allowFrom.length === 0);
  if (!open || process.env.INTAKE_ROUTES) return undefined;
  return ensureKannelMoToken(config.devstack.dataDir);
}

/**
 * A fresh key for a demo participant (the regulator for the dashboard, an
 * operator for the portal), so the page opens at once. Keys are stored hashed
 * and cannot be shown again, so each start makes a new one and revokes the one
 * the previous start made for the same participant.
 */
async function demoKey(pool: Pool, owner: { regulatorId: string } | { operatorId: string }, scopes: ApiScope[]): Promise<string> {
  const keys = new ApiKeysRepository(pool);
  const mine = (k: { regulatorId: string | null; operatorId: string | null }) =>
    'regulatorId' in owner ? k.regulatorId === owner.regulatorId : k.operatorId === owner.operatorId;
  for (const old of await keys.list()) {
    if (mine(old) && old.name === START_KEY_NAME && !old.revokedAt) await keys.revoke(old.id);
  }
  return (await keys.issue(owner, { name: START_KEY_NAME, scopes })).key;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // still starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  say(`[start] ${url} is not ready yet; see the log above`);
}

function banner(
  config: ReturnType<typeof loadConfig>,
  { intake, worker, sharing, stats }: { intake: string; worker: string; sharing: string; stats: string },
  { regulatorKey, operatorKey, portalOperator }: { regulatorKey: string; operatorKey: string; portalOperator: string },
  kannelToken: string | undefined,
): void {
  const db = new URL(config.database.url);
  const sendsms = config.routing.kannel.map((k) => k.sendsmsUrl).join(', ');
  const operators = DEMO_CONSORTIUM.operators.map((o) => `${o.id} (${o.country})`).join(', ');
  const token = kannelToken ? `&token=${kannelToken}` : '';
  say(`
Open Spam Reporting Service is running.

  intake      ${intake}   Kannel MO: ${intake}/v1/gateways/kannel/mo
  worker      ${worker}/readyz
  sharing API ${sharing}/v1/indicators   (operator key with scope read:
              npm run -s srs -- keys create --operator demo-fr --scopes read)
  portal      ${sharing}/portal/   operators' portal; sign in with the demo operator's key (${portalOperator}, scope ${PORTAL_SCOPES.join(',')}):
              ${operatorKey}
  statistics  ${stats}/dashboard/   regulator dashboard; sign in with the demo regulator's key:
              ${regulatorKey}
              (fill it with demo reports: npm run -s srs -- demo)
  PostgreSQL  ${db.host}${db.pathname}      Redis  ${config.redis.clusterNodes.length > 0 ? `cluster ${config.redis.clusterNodes.join(',')}` : new URL(config.redis.url).host}
  consortium  operators ${operators}; regulator ${DEMO_CONSORTIUM.regulators[0].id}
  this intake serves ${config.operator.id}; replies from ${config.operator.shortCode} via ${sendsms}${
    kannelToken ? `\n  Kannel MO token ${kannelToken} (in ${config.devstack.dataDir}/kannel-mo-token; infra/kannel/up.sh adds it)` : ''
  }

Send a first report
  through real Kannel (its fake SMSC plays the handset and prints the reply):
    dir=$(infra/kannel/up.sh)
    printf '447700900111 7726 text URGENT your parcel is held, pay at http://fee.example/x\\n' | infra/kannel/converse.sh
    infra/kannel/down.sh "$dir"
  or as Kannel would deliver it, with curl:
    curl -i '${intake}/v1/gateways/kannel/mo?from=447700900111&to=7726&id=demo-1&text=URGENT+your+parcel+is+held${token}'
    (the reply is queued and retried until a Kannel answers at ${sendsms})

Ctrl-C stops everything this command started.
`);
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
