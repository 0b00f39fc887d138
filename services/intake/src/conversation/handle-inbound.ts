import type { Config } from '@srs/config';
import {
  canonicalMsisdn,
  decide,
  detectLanguage,
  isOwnPrompt,
  parseMessage,
  pseudonymise,
  seal,
  type Decision,
  type Language,
  type MessageCoding,
  type ParsedMessage,
} from '@srs/core';
import { AppError } from '@srs/http';
import type { Logger } from '@srs/logging';
import { dedupId, type Channel, type ReportsQueue, type RedisClient } from '@srs/queue';
import type { ConversationStore } from './conversation-store';
import type { IntakeMetrics } from '../intake-metrics';
import { operatorProfile } from './operator-profile';
import type { ConnectionLimit } from './rate-limits';

export interface InboundMessage {
  channel: Channel;
  operatorId: string;
  gatewayMessageId: string;
  /** the reporter's address as the gateway gave it */
  from: string;
  /** the short code or number the subscriber wrote to, when the gateway says */
  to: string | null;
  text: string;
  coding: MessageCoding | null;
  smsc: string | null;
  /** the gateway's own time of receipt, when it sent one we could read */
  receivedAt: Date | null;
  /** false for channels with no way back to the subscriber (the app API) */
  replies?: boolean;
  /** what the message says, when the channel has already said it (the app API); otherwise parsed from `text` */
  parsed?: ParsedMessage;
}

export interface InboundDeps {
  config: Pick<Config, 'operator' | 'routing' | 'privacy' | 'conversation' | 'intake'>;
  queue: ReportsQueue;
  store: ConversationStore;
  connectionLimit: ConnectionLimit;
  redis: RedisClient;
  logger: Logger;
  metrics?: IntakeMetrics;
}

export interface InboundResult {
  status: 'accepted' | 'duplicate' | 'throttled';
  outcome: string;
}

/** How far a gateway clock may run ahead before its timestamp is ignored. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * One message from a subscriber: decide what it means in their conversation,
 * queue what follows, and only then acknowledge it. Redis unreachable → 503 at
 * once, so the gateway keeps the message and retries; a redelivered message is
 * recognised and acknowledged without acting twice.
 */
export async function handleInbound(deps: InboundDeps, message: InboundMessage): Promise<InboundResult> {
  const gateway = message.channel.gateway;
  try {
    const result = await decideAndQueue(deps, withoutNul(message));
    deps.metrics?.messages.inc({ gateway, status: result.status, outcome: result.outcome });
    return result;
  } catch (err) {
    deps.metrics?.messages.inc({ gateway, status: err instanceof AppError ? String(err.status) : '500', outcome: 'refused' });
    throw err;
  }
}

async function decideAndQueue(deps: InboundDeps, message: InboundMessage): Promise<InboundResult> {
  const { config, queue, store, connectionLimit, redis, logger } = deps;
  if (redis.status !== 'ready') {
    throw AppError.unavailable('queue_unavailable', 'the report queue is unavailable; retry later', 2);
  }
  const profile = operatorProfile(config, message.operatorId);
  const msisdn = canonicalMsisdn(message.from, profile.country);
  const pseudonym = pseudonymise(msisdn, config.privacy.msisdnHmacKey);
  const messageKey = dedupId(message.operatorId, message.channel.gateway, message.gatewayMessageId);
  const now = Date.now();
  const gatewayTime = message.receivedAt?.getTime();
  const receivedAt = gatewayTime !== undefined && gatewayTime <= now + MAX_CLOCK_SKEW_MS ? gatewayTime : now;
  const shortCode = message.to && /^[0-9A-Za-z+]{3,15}$/.test(message.to) ? message.to : profile.shortCode;

  const enqueue = (decision: Pick<Decision, 'steps' | 'language'>) =>
    queue.addStep(
      {
        v: 2,
        operatorId: message.operatorId,
        channel: message.channel,
        gatewayMessageId: message.gatewayMessageId,
        reporter: {
          pseudonym,
          // Replies go back to the address exactly as the gateway gave it.
          sealed: message.replies === false ? null : seal(message.from, config.privacy.msisdnEncryptionKey),
        },
        shortCode,
        language: decision.language,
        coding: message.coding,
        smsc: message.smsc,
        receivedAt: new Date(receivedAt).toISOString(),
        steps: decision.steps,
      },
      decision.steps.flatMap((step) =>
        step.type === 'schedule_timeout'
          ? [{ job: { v: 1 as const, operatorId: message.operatorId, report: step.report }, at: step.at }]
          : [],
      ),
    );

  try {
    // A gateway flooding us is slowed down as a whole: it keeps the messages and retries.
    const wait = await connectionLimit.wait(`${message.channel.gateway}/${message.channel.connection}`);
    if (wait !== undefined) {
      throw new AppError(429, 'rate_limited', `this connection sends more than the intake accepts; retry in ${wait} s`, undefined, {
        'Retry-After': String(wait),
      });
    }
    return await store.handle<InboundResult>(pseudonym, messageKey, async ({ seen, state, verdict }) => {
      if (seen) return { result: { status: 'duplicate', outcome: 'duplicate' } as const, markSeen: false };
      if (verdict !== 'ok') {
        if (verdict === 'throttled_first' && !state.optedOut) {
          const language: Language = state.language ?? profile.language;
          await enqueue({ steps: [{ type: 'reply', key: 'throttled', params: {} }], language });
        }
        logger.warn({ operatorId: message.operatorId, channel: message.channel, verdict }, 'subscriber throttled');
        return { result: { status: 'throttled', outcome: verdict } as const, markSeen: true };
      }
      const parsed = message.parsed ?? parseMessage(message.text, { defaultCountry: profile.country, isOwnPrompt });
      const detectedLanguage = parsed.kind === 'spam' || parsed.kind === 'unclear' ? detectLanguage(parsed.text) : undefined;
      const decision = decide(state, parsed, {
        message: { gateway: message.channel.gateway, gatewayMessageId: message.gatewayMessageId },
        // The conversation runs on our clock: a gateway's may be in another zone or adrift.
        receivedAt: now,
        operatorLanguage: profile.language,
        ...(detectedLanguage ? { detectedLanguage } : {}),
        shortCode,
        senderWindowMs: config.conversation.senderWindowMs,
      });
      const replies = message.replies === false ? stripReplies(decision) : decision;
      await enqueue(replies);
      logger.info(
        { operatorId: message.operatorId, channel: message.channel, outcome: decision.outcome, language: decision.language },
        'message handled',
      );
      return { result: { status: 'accepted', outcome: decision.outcome } as const, save: decision.state, markSeen: true };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    logger.warn({ err, channel: message.channel }, 'could not queue an inbound message');
    throw AppError.unavailable('queue_unavailable', 'the report queue is unavailable; retry later', 2);
  }
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL must not reach the worker: the
 * report would fail to store after being acknowledged. In the text (binary
 * SMS can carry one) it becomes U+FFFD, as any undecodable character does;
 * in an identifier it is refused, naming the field.
 */
function withoutNul(message: InboundMessage): InboundMessage {
  for (const field of ['gatewayMessageId', 'to', 'smsc', 'from'] as const) {
    if (message[field]?.includes('\u0000')) throw AppError.badRequest('invalid_parameter', `${field} holds a NUL character`, field);
  }
  return message.text.includes('\u0000') ? { ...message, text: message.text.replaceAll('\u0000', '\uFFFD') } : message;
}

/** Channels without a way back (the app API) get the same decisions with the replies left out. */
function stripReplies(decision: Decision): Decision {
  return {
    ...decision,
    steps: decision.steps.filter((s) => s.type !== 'reply' && s.type !== 'status').map((s) => ('reply' in s ? { ...s, reply: false } : s)),
  };
}
