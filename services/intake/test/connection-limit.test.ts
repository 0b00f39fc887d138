import { createRedis, type RedisClient } from '@srs/queue';
import { testConfig, uniqueSuffix } from '@srs/testkit';
import { ConnectionLimit } from '../src/conversation/connection-limit';

/** Waits for the start of a wall-clock second, so a test's messages all fall in one window. */
async function startOfSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
}

const admitted = async (limit: ConnectionLimit, name: string, n: number): Promise<number> => {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await limit.wait(name)) === undefined) ok++;
  return ok;
};

describe('the connection limit', () => {
  const config = testConfig();
  const prefix = `srs-connlimit-${uniqueSuffix()}`;
  let redis: RedisClient;

  beforeAll(() => {
    redis = createRedis(config.redis.url, 'producer');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('admits a connection up to its limit each second, then asks it to wait a second', async () => {
    const limit = new ConnectionLimit(redis, prefix, { connectionPerSecond: 5 });
    await startOfSecond();
    expect(await admitted(limit, 'kannel/a', 5)).toBe(5);
    expect(await limit.wait('kannel/a')).toBe(1);
    expect(await limit.wait('kannel/b')).toBeUndefined();
    await startOfSecond();
    expect(await limit.wait('kannel/a')).toBeUndefined();
  });

  it('is shared by intake instances: each learns what the others admitted', async () => {
    const one = new ConnectionLimit(redis, prefix, { connectionPerSecond: 10 }, 20);
    const two = new ConnectionLimit(redis, prefix, { connectionPerSecond: 10 }, 20);
    await startOfSecond();
    expect(await admitted(one, 'kannel/shared', 6)).toBe(6);
    await new Promise((r) => setTimeout(r, 100));
    expect(await admitted(two, 'kannel/shared', 10)).toBe(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(await admitted(one, 'kannel/shared', 3)).toBe(0);
  });

  it('counts in Redis once per batch, not once per message', async () => {
    const writes: number[] = [];
    // Counts the writes the limit makes through its client; MONITOR would see other suites' commands too.
    const counted = new Proxy(redis, {
      get(target, property, receiver) {
        if (property === 'incrby') {
          return (key: string, delta: number) => {
            writes.push(delta);
            return target.incrby(key, delta);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const limit = new ConnectionLimit(counted, prefix, { connectionPerSecond: 1000 }, 20);
    const key = `${prefix}:rl:conn:{kannel/batched}`;
    await startOfSecond();
    const second = Math.floor(Date.now() / 1000);
    await admitted(limit, 'kannel/batched', 200);
    await new Promise((r) => setTimeout(r, 100));
    expect(Number(await redis.get(`${key}:${second}`))).toBe(200);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(writes.length).toBeLessThanOrEqual(3);
  });
});
