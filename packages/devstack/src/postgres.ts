import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { aptInstall, isLoopback, isRoot, startChild, stopChild, waitFor, which, type LocalService, type Log } from './processes';

/** True when a PostgreSQL server answers at the URL's host and port, whatever it then says about the database. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (err) {
    // An answer that refuses us (auth, missing role) still means a server is there.
    return typeof (err as { code?: string }).code === 'string' && !/^E[A-Z]+$/.test((err as { code: string }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  const initdb = which('initdb');
  return initdb && existsSync(path.join(path.dirname(initdb), 'postgres')) ? path.dirname(initdb) : undefined;
}

/** initdb and postgres refuse to run as root: run them as the `postgres` system user then. */
function runAs(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const uid = Number(id('-u').stdout.trim());
  const gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('could not find or create the postgres system user');
  return { uid, gid };
}

/**
 * Makes sure a PostgreSQL server answers at `url`; when none does on a loopback
 * address, initialises a cluster under `dataDir` (trust auth, the URL's user as
 * superuser) and starts it on the URL's port from the system's binaries.
 */
export async function ensurePostgres(url: string, dataDir: string, log: Log): Promise<LocalService | undefined> {
  if (await postgresAnswers(url)) return undefined;
  const target = new URL(url);
  if (!isLoopback(target.hostname)) throw new Error(`PostgreSQL does not answer at ${target.host}, and it is not a local address`);
  const port = target.port || '5432';
  const user = decodeURIComponent(target.username) || 'postgres';
  let bin = postgresBinDir();
  if (!bin) {
    aptInstall(['postgresql'], log);
    bin = postgresBinDir();
    if (!bin) throw new Error('postgresql was installed but its binaries were not found');
    // Debian's package may have started its own cluster on our port.
    if (await postgresAnswers(url)) return undefined;
  }
  const owner = runAs();
  const dir = path.join(dataDir, `postgres-${port}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const spawnOptions = owner ? { uid: owner.uid, gid: owner.gid, cwd: dir } : { cwd: dir };
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${dir}`);
    const init = spawnSync(path.join(bin, 'initdb'), ['-D', dir, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'], {
      ...spawnOptions,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  log(`starting PostgreSQL on 127.0.0.1:${port} (data in ${dir})`);
  const child = startChild(
    path.join(bin, 'postgres'),
    ['-D', dir, '-p', port, '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`],
    path.join(dataDir, `postgres-${port}.log`),
    spawnOptions,
  );
  await waitFor(() => postgresAnswers(url), 30_000, 'postgres', child);
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions and stop cleanly.
  return { name: 'postgres', url: `postgres://${user}@127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGINT') };
}
