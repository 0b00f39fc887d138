import type { InboxEntry } from '@srs/queue';

/** A message as the intake records it in the inbox: demo-uk over Kannel to 7726, HELP, no sealed number, unless given. */
export function testInboxEntry(pseudonym: string, gatewayMessageId: string, overrides: Partial<InboxEntry> = {}): InboxEntry {
  const now = Date.now();
  return {
    v: 1,
    operatorId: 'demo-uk',
    channel: { gateway: 'kannel', connection: 'kannel' },
    gatewayMessageId,
    reporter: { pseudonym, sealed: null },
    shortCode: '7726',
    text: 'HELP',
    coding: 'gsm7',
    smsc: null,
    at: now,
    receivedAt: now,
    replies: true,
    ...overrides,
  };
}
