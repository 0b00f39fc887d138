import { operatorProfile, type Config } from '@srs/config';
import { decideMessage, type Conversation, type MessageDecision } from '@srs/core';
import type { InboxEntry } from '../contracts';

/**
 * What the conversation decides for one message recorded in the inbox: the
 * entry and the deployment's settings handed to core `decideMessage`, in the
 * one place the worker (and the tests of what the intake records) take them from.
 */
export function decideInboxEntry(
  conversation: Conversation,
  entry: InboxEntry,
  config: Pick<Config, 'routing' | 'operator' | 'conversation' | 'rateLimits'>,
): MessageDecision {
  const profile = operatorProfile(config, entry.operatorId);
  return decideMessage(
    conversation,
    {
      message: { gateway: entry.channel.gateway, gatewayMessageId: entry.gatewayMessageId },
      text: entry.text,
      ...(entry.sender ? { sender: entry.sender } : {}),
      at: entry.at,
      replies: entry.replies,
    },
    {
      country: profile.country,
      language: profile.language,
      shortCode: entry.shortCode,
      senderWindowMs: config.conversation.senderWindowMs,
      limits: { perMinute: config.rateLimits.reporterPerMinute, perDay: config.rateLimits.reporterPerDay },
    },
  );
}
