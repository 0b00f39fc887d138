import type { Logger } from '@srs/logging';
import { redisServers, type RedisClient } from '@srs/queue';
import { optOutKey } from './conversation-store';

/**
 * Before subscribers' keys carried a hash tag, an opt-out was kept at
 * `<prefix>:optout:<pseudonym>`. Conversations expire within a day, but an
 * opt-out lasts until START: move each one to its tagged key so that no
 * subscriber who said STOP hears from us again after an upgrade. Idempotent;
 * returns how many were moved.
 */
export async function moveLegacyOptOuts(redis: RedisClient, prefix: string, logger: Logger): Promise<number> {
  // Scanning the whole keyspace at every start would cost a large Redis dearly: once is enough.
  const done = `${prefix}:upgrades:optout-hash-tags`;
  if ((await redis.exists(done)) === 1) return 0;
  let moved = 0;
  for (const server of redisServers(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:optout:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const pseudonym = key.slice(`${prefix}:optout:`.length);
        if (pseudonym.startsWith('{')) continue;
        await redis.set(optOutKey(prefix, pseudonym), '1');
        await redis.del(key);
        moved += 1;
      }
    } while (cursor !== '0');
  }
  await redis.set(done, new Date().toISOString());
  if (moved > 0) logger.info({ moved }, 'opt-outs moved to their hash-tagged keys');
  return moved;
}
