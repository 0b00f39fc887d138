import type { Conversation } from '@srs/core';
import type { StoredConversation } from '@srs/queue';

/**
 * A conversation as the inbox keeps it: the state machine's state and the
 * rate-limit windows in one value that expires with the sender window; the
 * opt-out apart, kept until START.
 */
export function readConversation(stored: StoredConversation | undefined): Conversation {
  const parsed = stored?.conversation
    ? (JSON.parse(stored.conversation) as { s?: Conversation['state']; w?: Conversation['windows'] })
    : {};
  const state = { ...(parsed.s ?? {}), ...(stored?.optedOut ? { optedOut: true } : {}) };
  return { state, ...(parsed.w ? { windows: parsed.w } : {}) };
}

export function writeConversation(conversation: Conversation): { conversation: string; optedOut: boolean } {
  const { optedOut, ...state } = conversation.state;
  return {
    conversation: JSON.stringify({ s: state, ...(conversation.windows ? { w: conversation.windows } : {}) }),
    optedOut: optedOut === true,
  };
}

/** A sender window in the partition's timer set: the report to complete, and whose conversation it is. */
export interface TimerMember {
  pseudonym: string;
  operatorId: string;
  gateway: string;
  gatewayMessageId: string;
}

export const timerMember = (t: TimerMember): string => JSON.stringify([t.pseudonym, t.operatorId, t.gateway, t.gatewayMessageId]);

export function readTimerMember(member: string): TimerMember | undefined {
  try {
    const [pseudonym, operatorId, gateway, gatewayMessageId] = JSON.parse(member) as string[];
    if (!pseudonym || !operatorId || !gateway || !gatewayMessageId) return undefined;
    return { pseudonym, operatorId, gateway, gatewayMessageId };
  } catch {
    return undefined;
  }
}
