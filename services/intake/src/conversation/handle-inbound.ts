import type { Config } from '@srs/config';
import { canonicalMsisdn, pseudonymise, seal, type MessageCoding, type ReportedSender } from '@srs/core';
import { operatorProfile } from '@srs/config';
import { AppError } from '@srs/http';
import type { Logger } from '@srs/logging';
import { dedupId, type AppendResult, type Channel, type InboxEntry, type InboxWriter, type RedisClient } from '@srs/queue';
import type { IntakeMetrics } from '../intake-metrics';
import type { ConnectionLimit } from './connection-limit';

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
  /** the sender, when the channel has already given it (the app API); otherwise read from `text` behind the inbox */
  sender?: ReportedSender;
}

export interface InboundDeps {
  config: Pick<Config, 'operator' | 'routing' | 'privacy' | 'intake'>;
  inbox: InboxWriter;
  connectionLimit: ConnectionLimit;
  redis: RedisClient;
  logger: Logger;
  metrics?: IntakeMetrics;
}

export interface InboundResult {
  /** recorded, or a redelivery of a message recorded before */
  status: 'accepted' | 'duplicate';
}

/** How far a gateway clock may run ahead before its timestamp is ignored. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * One message from a subscriber: pseudonymise it and record it in its
 * subscriber's partition of the inbox, in one round trip, and only then
 * acknowledge it. What it means in the conversation is decided behind the
 * inbox, in order per subscriber. Redis unreachable → 503 at once, so the
 * gateway keeps the message and retries; a redelivered message is recognised
 * and acknowledged without being recorded twice.
 */
export async function handleInbound(deps: InboundDeps, message: InboundMessage): Promise<InboundResult> {
  const gateway = message.channel.gateway;
  try {
    const result = await record(deps, withoutNul(message));
    deps.metrics?.messages.inc({ gateway, status: result.status });
    return result;
  } catch (err) {
    deps.metrics?.messages.inc({ gateway, status: err instanceof AppError ? String(err.status) : '500' });
    throw err;
  }
}

async function record(deps: InboundDeps, message: InboundMessage): Promise<InboundResult> {
  const { config, inbox, connectionLimit, redis, logger } = deps;
  if (redis.status !== 'ready') {
    throw AppError.unavailable('queue_unavailable', 'the report queue is unavailable; retry later', 2);
  }
  const profile = operatorProfile(config, message.operatorId);
  const msisdn = canonicalMsisdn(message.from, profile.country);
  const now = Date.now();
  const gatewayTime = message.receivedAt?.getTime();
  const entry: InboxEntry = {
    v: 1,
    operatorId: message.operatorId,
    channel: message.channel,
    gatewayMessageId: message.gatewayMessageId,
    reporter: {
      pseudonym: pseudonymise(msisdn, config.privacy.msisdnHmacKey),
      // Replies go back to the address exactly as the gateway gave it.
      sealed: message.replies === false ? null : seal(message.from, config.privacy.msisdnEncryptionKey),
    },
    shortCode: message.to && /^[0-9A-Za-z+]{3,15}$/.test(message.to) ? message.to : profile.shortCode,
    text: message.text,
    ...(message.sender ? { sender: message.sender } : {}),
    coding: message.coding,
    smsc: message.smsc,
    at: now,
    receivedAt: gatewayTime !== undefined && gatewayTime <= now + MAX_CLOCK_SKEW_MS ? Math.max(0, gatewayTime) : now,
    replies: message.replies !== false,
  };
  const messageKey = dedupId(message.operatorId, message.channel.gateway, message.gatewayMessageId);
  const connection = `${message.channel.gateway}/${message.channel.connection}`;

  let result: AppendResult;
  try {
    if (inbox.countsConnections) {
      const counted = connectionLimit.counted(connection);
      if (counted.over) throw tooFast(1);
      result = await inbox.append(entry, messageKey, counted);
      if (result.connectionCount !== undefined) connectionLimit.learn(connection, result.connectionCount);
    } else {
      const wait = await connectionLimit.wait(connection);
      if (wait !== undefined) throw tooFast(wait);
      result = await inbox.append(entry, messageKey);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    logger.warn({ err, channel: message.channel }, 'could not record an inbound message');
    throw AppError.unavailable('queue_unavailable', 'the report queue is unavailable; retry later', 2);
  }
  if (result.status === 'limited') throw tooFast(1);
  return { status: result.status };
}

/** A gateway flooding us is slowed down as a whole: it keeps the messages and retries. */
function tooFast(wait: number): AppError {
  return new AppError(429, 'rate_limited', `this connection sends more than the intake accepts; retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  });
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
