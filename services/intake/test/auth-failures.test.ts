import { request as httpRequest } from 'node:http';
import type { RunningServer } from '@srs/http';
import type { Config } from '@srs/config';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, deleteRedisPrefix, eventually, testConfig, type TestDatabase } from '@srs/testkit';
import { startIntakeServer } from '../src/server';
import { recorded } from './inbox';

/** A POST from the given loopback address: another client, as the server sees it. */
function postFrom(localAddress: string, url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', localAddress, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ reporter: '+447700900123', sender: 'BANK', text: 'spam' }));
  });
}

/**
 * Issue 24 finding 6e on the app API: an address guessing report keys is
 * limited by AUTH_FAILURES_PER_MINUTE, counted in Redis, so guessing at one
 * intake instance and then at another gains nothing.
 */
describe('failed app API authentications per client address', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let config: Config;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig({ DATABASE_URL: db.url, AUTH_FAILURES_PER_MINUTE: '3' });
    redis = createRedis(config.redis.url, 'producer');
    await eventually(
      () => redis.status,
      (s) => s === 'ready',
    );
    for (let i = 0; i < 2; i++)
      servers.push(await startIntakeServer({ config, logger: capturingLogger('intake').logger, pool: db.pool, redis }, 0));
  });
  afterAll(async () => {
    for (const server of servers) await server.close(1000);
    await deleteRedisPrefix(redis, config.redis.prefix);
    redis.disconnect();
    await db.drop();
  });

  it('answers 429 once an address used up its failures, at every instance, and still serves other addresses', async () => {
    const [a, b] = servers.map((s) => `${s.url}/v1/reports`);
    const guess = (i: number) => `srs_guessing_${String(i).padStart(40, '0')}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await postFrom('127.0.0.7', a!, guess(i)));
    statuses.push(await postFrom('127.0.0.7', b!, guess(3)));
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(await postFrom('127.0.0.8', b!, guess(4))).toBe(401);
    expect(await recorded(redis, config)).toHaveLength(0);
  });
});
