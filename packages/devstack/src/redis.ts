import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { aptInstall, isLoopback, startChild, stopChild, waitFor, which, type LocalService, type Log } from './processes';

/**
 * True when a Redis server answers at the URL. Plain TCP and RESP, so a probe
 * leaves no client reconnect timers behind; a NOAUTH answer still counts.
 */
export async function redisAnswers(url: string): Promise<boolean> {
  const target = new URL(url);
  if (target.protocol === 'rediss:') return tlsRedisAnswers(url);
  return new Promise((resolve) => {
    const socket = connect(Number(target.port || 6379), target.hostname.replace(/^\[|\]$/g, ''));
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

async function tlsRedisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    await redis.quit();
    return true;
  } catch {
    redis.disconnect();
    return false;
  }
}

/**
 * Makes sure a Redis answers at `url`; when none does on a loopback address,
 * starts one there from the system's redis-server, configured for durable
 * queues (AOF fsync on every write, no eviction), data under `dataDir`.
 */
export async function ensureRedis(url: string, dataDir: string, log: Log): Promise<LocalService | undefined> {
  if (await redisAnswers(url)) return undefined;
  const target = new URL(url);
  if (!isLoopback(target.hostname)) throw new Error(`Redis does not answer at ${target.host}, and it is not a local address`);
  const port = target.port || '6379';
  if (!which('redis-server')) aptInstall(['redis-server'], log);
  const dir = path.join(dataDir, `redis-${port}`);
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    port,
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  if (target.password) args.push('--requirepass', decodeURIComponent(target.password));
  log(`starting Redis on 127.0.0.1:${port} (data in ${dir})`);
  const child = startChild(which('redis-server')!, args, path.join(dir, 'redis.log'));
  await waitFor(() => redisAnswers(url), 15_000, 'redis-server', child);
  return { name: 'redis', url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGTERM') };
}
