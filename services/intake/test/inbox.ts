import type { Config } from '@srs/config';
import type { MessageDecision } from '@srs/core';
import { decideInboxEntry, inboxEntry, type InboxEntry, type RedisClient } from '@srs/queue';
import { readInbox } from '@srs/testkit';

/**
 * Every message the intake recorded under the config's prefix, as the worker
 * would read it: parsed with the inbox contract, so an entry that does not
 * match it fails the test. No worker runs in these tests, so nothing recorded
 * has been taken out of the inbox yet.
 */
export async function recorded(redis: RedisClient, config: Config): Promise<InboxEntry[]> {
  return (await readInbox(redis, config.redis.prefix, config.inbox.partitions)).map((e) => inboxEntry.parse(e));
}

/**
 * What the worker decides for a recorded entry when it is the first message of
 * its subscriber's conversation (packages/queue `decideInboxEntry`, the mapping
 * the worker uses): for tests whose point is what the intake recorded, shown by
 * what the conversation makes of it.
 */
export function decideFirst(entry: InboxEntry, config: Config): MessageDecision {
  return decideInboxEntry({ state: {} }, entry, config);
}
