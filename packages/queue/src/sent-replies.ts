import type { RedisClient } from './connection';
import { REPLY_DEDUP_SECONDS } from './producers';

/** How long a claim to send a reply holds when its sender dies before saying how it went. */
const CLAIM_SECONDS = 30;

/**
 * How long a reply's request to the gateway waits for the answer: as long as
 * its claim holds, less a margin. A gateway that took the reply but answers
 * late must not have the claim given back (or lapse) and the reply sent again;
 * only one that has not answered by then is taken for one that did not get it.
 */
export const REPLY_ANSWER_WAIT_MS = (CLAIM_SECONDS - 5) * 1000;

/** Claims the reply unless it is being sent or was sent: answers nil when claimed, else what holds it. */
const CLAIM = `
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], 'sending', 'EX', ARGV[1])
return false`;

type ScriptedRedis = RedisClient & { srsClaimReply(key: string, seconds: number): Promise<string | null> };

export type ReplyClaim = 'claimed' | 'sending' | 'sent';

/**
 * The replies that are going or have gone out, one key per reply id: whichever
 * way a reply leaves (straight from its job, or through the outbound queue),
 * it is sent by whoever claims it first, and a rerun finds it marked sent for
 * as long as the outbound queue deduplicates it. Each key carries its id as
 * hash tag, so replies spread over a cluster's masters.
 */
export class SentReplies {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
  ) {
    redis.defineCommand('srsClaimReply', { numberOfKeys: 1, lua: CLAIM });
    this.redis = redis as ScriptedRedis;
  }

  /** `claimed`: send it, then `markSent` or `release`; `sending`: another is sending it now; `sent`: it went out. */
  async claim(replyId: string): Promise<ReplyClaim> {
    const held = await this.redis.srsClaimReply(this.key(replyId), CLAIM_SECONDS);
    return held === null ? 'claimed' : held === 'sending' ? 'sending' : 'sent';
  }

  async markSent(replyId: string): Promise<void> {
    await this.redis.set(this.key(replyId), 'sent', 'EX', REPLY_DEDUP_SECONDS);
  }

  /** Gives a claim back after a failed send, so the retry may claim it. */
  async release(replyId: string): Promise<void> {
    await this.redis.del(this.key(replyId));
  }

  private key(replyId: string): string {
    return `${this.prefix}:reply:{${replyId}}`;
  }
}
