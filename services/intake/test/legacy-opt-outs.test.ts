import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, testConfig, uniqueSuffix } from '@srs/testkit';
import { ConversationStore } from '../src/conversation/conversation-store';
import { moveLegacyOptOuts } from '../src/conversation/legacy-opt-outs';

describe('opt-outs kept before subscriber keys had hash tags', () => {
  const config = testConfig();
  const prefix = `srs-legacy-${uniqueSuffix()}`;
  let redis: RedisClient;

  beforeAll(() => {
    redis = createRedis(config.redis.url, 'worker');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('are moved to the tagged key at start, so the subscriber stays opted out', async () => {
    await redis.set(`${prefix}:optout:pseudo-a`, '1');
    await redis.set(`${prefix}:optout:pseudo-b`, '1');
    const { logger } = capturingLogger();

    expect(await moveLegacyOptOuts(redis, prefix, logger)).toBe(2);
    expect(await moveLegacyOptOuts(redis, prefix, logger)).toBe(0);

    expect(await redis.exists(`${prefix}:optout:pseudo-a`)).toBe(0);
    const store = new ConversationStore(redis, prefix, 60_000, 60, { perMinute: 10, perDay: 100 });
    const seen = await store.handle('pseudo-a', 'message-1', async (current) => ({ result: current, markSeen: false }));
    expect(seen.state.optedOut).toBe(true);
    const other = await store.handle('pseudo-c', 'message-2', async (current) => ({ result: current, markSeen: false }));
    expect(other.state.optedOut).toBeUndefined();
  });
});
