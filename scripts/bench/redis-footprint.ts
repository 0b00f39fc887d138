import type { Config } from '@srs/config';
import { createRedis, InboxKeys, queueOptions, QUEUES } from '@srs/queue';
import { freePort, startDisposableRedis, startSendsmsRecorder, startService, waitForHttp, type ServiceProcess } from '@srs/testkit';
import { Queue } from 'bullmq';
import { callsPerItem, redisCommandCalls, redisCpuSeconds } from './process-stats';

export interface RedisFootprint {
  messages: number;
  /** Redis memory per message while it waits in the inbox (no worker running) */
  queuedBytes: number;
  /** what stays per message once decided, while the report's sender window is open (CONVERSATION_SENDER_WINDOW_SECONDS) */
  windowBytes: number;
  /** what stays after that: dedup and seen markers, until INTAKE_DEDUP_TTL_SECONDS */
  keptBytes: number;
  /** append-only file growth per message (before any rewrite) */
  aofBytes: number;
  /** Redis CPU per message, intake and worker together (AOF fsync included) */
  cpuMicros: number;
  /** commands Redis ran per message, intake and worker together (those inside scripts included), by command */
  commands: Array<[string, number]>;
  /** what is kept, per message, by kind of key and how long it lives */
  keptByKind: Record<string, number>;
}

/** Each kind of key, with how long it lives: the sizing arithmetic needs both. */
const KINDS: Array<[RegExp, string]> = [
  [/:seen:/, 'seen marker (INTAKE_DEDUP_TTL_SECONDS)'],
  [/\{inbox-\d+\}:stream$/, 'inbox streams (until decided)'],
  [/\{inbox-\d+\}:timers$/, 'open sender windows (until they close)'],
  [/:reply:\{/, 'reply sent marker (7 days)'],
  [/\{outbound-sms\}:outbound-sms:de:/, 'queued reply dedup key (7 days)'],
  [/:conv:/, 'conversation state with its rate-limit windows (2 sender windows, at least a day)'],
];

async function memoryByKind(redis: ReturnType<typeof createRedis>, messages: number): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await (redis as import('ioredis').Redis).scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const kind = KINDS.find(([pattern]) => pattern.test(key))?.[1] ?? 'other';
      totals[kind] = (totals[kind] ?? 0) + ((await redis.memory('USAGE', key)) ?? 0);
    }
  } while (cursor !== '0');
  return Object.fromEntries(Object.entries(totals).map(([kind, bytes]) => [kind, bytes / messages]));
}

const CONCURRENCY = 20;

/**
 * What Redis must hold per message, for sizing it: the real intake and worker
 * against a Redis of their own, with conversations as subscribers have them
 * (the spam text, then its sender), replies going to a recorder.
 */
export async function redisFootprint(config: Config, messages: number): Promise<RedisFootprint> {
  const redisServer = await startDisposableRedis(await freePort());
  const recorder = await startSendsmsRecorder();
  const redis = createRedis(redisServer.url, 'worker');
  const services: ServiceProcess[] = [];
  const env = {
    DATABASE_URL: config.database.url,
    REDIS_URL: redisServer.url,
    QUEUE_PREFIX: 'srs-footprint',
    KANNEL_SENDSMS_URL: recorder.url,
    LOG_LEVEL: 'warn',
    CONVERSATION_SENDER_WINDOW_SECONDS: '600',
    RATE_LIMIT_CONNECTION_PER_SECOND: '1000000',
    RATE_LIMIT_REPORTER_PER_MINUTE: '1000',
  };
  try {
    const intakePort = await freePort();
    const intake = startService('intake', { ...env, INTAKE_PORT: String(intakePort) });
    services.push(intake);
    await waitForHttp(`http://127.0.0.1:${intakePort}/readyz`, 30_000, intake);
    const memory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    const aof = async () => Number(/aof_current_size:(\d+)/.exec(await redis.info('persistence'))?.[1] ?? 0);
    const cpu = () => redisCpuSeconds(redis);
    const [memoryBefore, aofBefore, cpuBefore, callsBefore] = [await memory(), await aof(), await cpu(), await redisCommandCalls(redis)];

    const subscribers = Math.ceil(messages / 2);
    let next = 0;
    const send = async (query: string) => {
      const res = await fetch(`http://127.0.0.1:${intakePort}/v1/gateways/kannel/mo?${query}`);
      if (res.status >= 300) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < subscribers; i = next++) {
          const from = `4477${String(20_000_000 + i).padStart(8, '0')}`;
          const text = encodeURIComponent(`Your parcel ${i} is held, pay the customs fee at https://parcel-${i % 300}.example/t`);
          await send(`from=${from}&to=7726&id=fp-${i}-a&text=${text}`);
          await send(`from=${from}&to=7726&id=fp-${i}-b&text=${encodeURIComponent(`07700 900${String(i % 1000).padStart(3, '0')}`)}`);
        }
      }),
    );
    const sent = subscribers * 2;
    const queued = await memory();

    const workerPort = await freePort();
    const worker = startService('worker', { ...env, WORKER_HEALTH_PORT: String(workerPort) });
    services.push(worker);
    const outbound = new Queue(QUEUES.outbound, queueOptions({ connection: redis, prefix: env.QUEUE_PREFIX }, QUEUES.outbound));
    const partitions = Array.from({ length: config.inbox.partitions }, (_, p) => new InboxKeys(env.QUEUE_PREFIX, p));
    const inboxWaiting = async () => (await Promise.all(partitions.map((k) => redis.xlen(k.stream)))).reduce((a, b) => a + b, 0);
    // Every message decided and every reply sent; the sender windows of reports without a sender would stay open.
    for (;;) {
      const busy = (await inboxWaiting()) + (await outbound.getJobCountByTypes('waiting', 'active', 'prioritized'));
      if (busy === 0 && recorder.received.length >= sent) break;
      if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const duringWindow = await memory();
    const cpuAfter = await cpu();
    const callsAfter = await redisCommandCalls(redis);
    // Windows close at their end; then only the markers and states stay, until their TTL.
    for (const k of partitions) await redis.del(k.timers);
    const kept = await memory();
    const byKind = await memoryByKind(redis, sent);
    await outbound.close();
    return {
      messages: sent,
      queuedBytes: (queued - memoryBefore) / sent,
      windowBytes: (duringWindow - memoryBefore) / sent,
      keptBytes: (kept - memoryBefore) / sent,
      aofBytes: ((await aof()) - aofBefore) / sent,
      cpuMicros: ((cpuAfter - cpuBefore) * 1e6) / sent,
      commands: callsPerItem(callsBefore, callsAfter, sent),
      keptByKind: byKind,
    };
  } finally {
    await Promise.all(services.map((s) => s.terminate()));
    redis.disconnect();
    await recorder.close();
    await redisServer.stop();
  }
}
