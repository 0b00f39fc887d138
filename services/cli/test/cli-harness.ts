import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@srs/testkit';

const CLI = path.join(__dirname, '..', 'dist', 'main.js');

/** One run of the built CLI: its exit status, what it printed (and that split into trimmed lines). */
export interface SrsRun {
  status: number | null;
  lines: string[];
  stdout: string;
  stderr: string;
}

/**
 * The `srs` CLI as an administrator runs it, on a fresh database made before
 * the file's tests and dropped after them (the hooks are registered here, so
 * call it in the `describe` body). `db` reads that database once it exists;
 * `srs(...args)` runs the built CLI against it with logging off and `env`
 * over the test process's environment.
 */
export function srsOnTestDatabase(env: Record<string, string> = {}): { db: TestDatabase; srs(...args: string[]): SrsRun } {
  let made: TestDatabase | undefined;
  beforeAll(async () => {
    made = await createTestDatabase();
  });
  afterAll(() => made?.drop());
  const current = (): TestDatabase => {
    if (!made) throw new Error('the test database is made in beforeAll: read it from a test or a hook');
    return made;
  };
  return {
    db: {
      get url() {
        return current().url;
      },
      get pool() {
        return current().pool;
      },
      drop: () => current().drop(),
    },
    srs: (...args) => {
      const run = spawnSync(process.execPath, [CLI, ...args], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: current().url, LOG_LEVEL: 'silent', ...env },
      });
      return { status: run.status, lines: run.stdout.trim().split('\n'), stdout: run.stdout, stderr: run.stderr };
    },
  };
}
