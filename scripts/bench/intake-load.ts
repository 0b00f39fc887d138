import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Config } from '@srs/config';
import { InboxKeys, queuePrefix } from '@srs/queue';
import { freePort, startService, waitForHttp } from '@srs/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { cpuSeconds, peakRssMiB } from './process-stats';

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  /** the service's own CPU time per request (user + system), where /proc tells */
  cpuMicrosPerRequest?: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMiB?: number;
}

const CONNECTIONS = 50;
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Kannel MO requests as Kannel sends them (GET, one-message form
 * `SPAM <sender> <text>` so each is a complete report), each from another
 * subscriber with its own message id, at 50 connections.
 */
export async function kannelLoad(
  url: string,
  seconds: number,
  tag: string,
): Promise<Omit<LoadResult, 'peakRssMiB' | 'cpuMicrosPerRequest'>> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          n++;
          const from = `4477${String(10_000_000 + ((n * 7919) % 90_000_000)).padStart(8, '0')}`;
          const text = encodeURIComponent(
            `SPAM 07700900${String(n % 1000).padStart(3, '0')} Your parcel is held, pay the fee at https://parcel-${n % 500}.example/t`,
          );
          return { ...req, path: `/v1/gateways/kannel/mo?from=${from}&to=7726&id=${tag}-${n}&text=${text}` };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The bare express + BullMQ handler, in its own process, under the same load. */
export async function bareIntakeCeiling(config: Config, seconds: number): Promise<LoadResult> {
  const port = await freePort();
  const prefix = `${config.redis.prefix}-bare`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'bare-intake.ts'), String(port), config.redis.url, prefix],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  try {
    await waitUntilListening(`http://127.0.0.1:${port}/v1/gateways/kannel/mo?from=1&text=x&id=warm`);
    return await measured(child.pid, () => kannelLoad(`http://127.0.0.1:${port}`, seconds, 'bare'));
  } finally {
    child.kill('SIGTERM');
    await obliterate(config.redis.url, 'bare-reports', prefix);
  }
}

/** The intake as deployed (`services/intake/dist/main.js`), rate limits raised so the load is not refused as a flood. */
export async function intakeUnderLoad(config: Config, seconds: number): Promise<LoadResult> {
  const port = await freePort();
  const service = startService('intake', {
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: config.redis.prefix,
    INTAKE_PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_CONNECTION_PER_SECOND: '1000000',
    RATE_LIMIT_REPORTER_PER_MINUTE: '1000',
    RATE_LIMIT_REPORTER_PER_DAY: '100000',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000, service);
    return await measured(service.child.pid, () => kannelLoad(`http://127.0.0.1:${port}`, seconds, `intake-${process.pid}-${Date.now()}`));
  } finally {
    await service.terminate();
    await clearInbox(config.redis.url, config.redis.prefix, config.inbox.partitions);
  }
}

/** A load run with what it cost the process under test: CPU per request and peak memory. */
async function measured(pid: number | undefined, run: () => ReturnType<typeof kannelLoad>): Promise<LoadResult> {
  const before = cpuSeconds(pid);
  const load = await run();
  const after = cpuSeconds(pid);
  const rss = peakRssMiB(pid);
  return {
    ...load,
    ...(before !== undefined && after !== undefined && load.requests > 0
      ? { cpuMicrosPerRequest: ((after - before) * 1e6) / load.requests }
      : {}),
    ...(rss ? { peakRssMiB: rss } : {}),
  };
}

async function waitUntilListening(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

/** The messages the intake recorded: no worker runs here, so they are taken out after each round. */
async function clearInbox(redisUrl: string, prefix: string, partitions: number): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  for (let p = 0; p < partitions; p++) await connection.del(new InboxKeys(prefix, p).stream);
  connection.disconnect();
}

async function obliterate(redisUrl: string, name: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: queuePrefix(prefix, name) });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
}
