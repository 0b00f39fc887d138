import { capturingLogger, startTestApp, type TestApp, type TestAppOptions } from '@srs/testkit';
import { startIntakeServer } from '../src/server';

/**
 * The intake's app as main.ts serves it (startIntakeServer: its header and
 * body limits included), on a fresh database and a Redis prefix of its own,
 * or on the file's database when `db` is given. No worker runs: what it
 * records stays in the inbox, for `recorded` (./inbox) to read.
 */
export function startIntakeApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp((deps) => startIntakeServer(deps, 0), { logger: capturingLogger('intake').logger, ...options });
}
