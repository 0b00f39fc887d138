import type { PgProxy } from './pg-proxy';
import type { SoakRedis } from './redis-process';
import type { SupervisedService } from './services';
import { elapsedMs, say, sleep } from './util';

export interface FaultTargets {
  intake: SupervisedService;
  worker: SupervisedService;
  redis: SoakRedis;
  postgres: PgProxy;
  /** the load as the intake sees it: requests sent and not yet answered, and 2xx answers so far */
  load: { requestsInFlight: number; acknowledgements(): number };
}

export interface Fault {
  /** when it starts, as a fraction of the load's duration */
  at: number;
  name: string;
  run(targets: FaultTargets): Promise<string>;
}

export interface FaultRecord {
  name: string;
  startedAtMs: number;
  endedAtMs: number;
  detail: string;
  error?: string;
}

/** How long PostgreSQL refuses connections. */
export const POSTGRES_OUTAGE_MS = 10_000;

/**
 * The faults, one after the other while the load runs (a minute by default:
 * 8 s, 18 s, 28-38 s, 42 s, 50 s). Each one's effect ends before the next
 * starts, so that a loss can be traced to one of them.
 */
export const FAULTS: Fault[] = [
  {
    at: 0.13,
    name: 'worker SIGKILL #1',
    run: async ({ worker }) => {
      const started = Date.now();
      await worker.restart('SIGKILL', 1000);
      return `killed; started again after 1 s, answering again ${((Date.now() - started) / 1000).toFixed(1)} s after the kill`;
    },
  },
  {
    at: 0.3,
    name: 'Redis crash and restart',
    run: async ({ redis }) => {
      const started = Date.now();
      await redis.restart('SIGKILL', 1000);
      return `redis-server SIGKILLed, started again after 1 s, answering again ${((Date.now() - started) / 1000).toFixed(1)} s after the kill (reloaded from its AOF)`;
    },
  },
  {
    at: 0.47,
    name: 'PostgreSQL refuses connections',
    run: async ({ postgres }) => {
      const { dropped } = await postgres.cut(POSTGRES_OUTAGE_MS);
      return `${POSTGRES_OUTAGE_MS / 1000} s: listener closed, ${dropped} open connections dropped`;
    },
  },
  {
    at: 0.7,
    name: 'worker SIGKILL #2',
    run: async ({ worker }) => {
      const started = Date.now();
      await worker.restart('SIGKILL', 1000);
      return `killed; started again after 1 s, answering again ${((Date.now() - started) / 1000).toFixed(1)} s after the kill`;
    },
  },
  {
    at: 0.83,
    name: 'intake graceful restart (SIGTERM)',
    run: async ({ intake, load }) => {
      const inFlight = load.requestsInFlight;
      const acknowledged = load.acknowledgements();
      const started = Date.now();
      const stopped = intake.kill('SIGTERM');
      const { code, ms } = await stopped;
      const duringDrain = load.acknowledgements() - acknowledged;
      await intake.start();
      return `${inFlight} requests in flight at SIGTERM, ${duringDrain} acknowledged while draining; exited ${code} after ${ms} ms; answering again ${((Date.now() - started) / 1000).toFixed(1)} s after SIGTERM`;
    },
  },
];

/** Runs each fault at its time (relative to the soak's clock) and records what happened. */
export async function runFaults(faults: Fault[], targets: FaultTargets, durationMs: number): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const fault of faults) {
    const wait = fault.at * durationMs - elapsedMs();
    if (wait > 0) await sleep(wait);
    say(`fault: ${fault.name} …`);
    const startedAtMs = elapsedMs();
    try {
      const detail = await fault.run(targets);
      records.push({ name: fault.name, startedAtMs, endedAtMs: elapsedMs(), detail });
      say(`fault: ${fault.name}: ${detail}`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      records.push({ name: fault.name, startedAtMs, endedAtMs: elapsedMs(), detail: 'failed', error });
      say(`fault: ${fault.name} FAILED: ${error}`);
    }
  }
  return records;
}
