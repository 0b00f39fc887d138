import { unseal } from '@srs/core';
import type { Logger } from '@srs/logging';
import { outboundSmsJob, type SentReplies } from '@srs/queue';
import type { SenderRegistry } from '../outbound/sender-registry';

export interface SendSmsDeps {
  senders: SenderRegistry;
  sent: SentReplies;
  encryptionKey: Buffer;
  logger: Logger;
}

/** Another run is sending this reply at this moment: try again later. */
export class ReplyBeingSent extends Error {
  constructor() {
    super('this reply is being sent by another run');
    this.name = 'ReplyBeingSent';
  }
}

/**
 * Hands one reply to the gateway it belongs to, unless another run has it or
 * sent it; marks it sent once the gateway took it. A failure throws: the
 * outbound queue retries with backoff. Sent at least once: a crash between
 * the gateway taking it and the mark sends it again once the claim lapses.
 */
export async function sendSms(deps: SendSmsDeps, payload: unknown, jobId?: string): Promise<'sent' | 'already_sent'> {
  const job = outboundSmsJob.parse(payload);
  const { replyId } = job;
  if (replyId) {
    const claim = await deps.sent.claim(replyId);
    if (claim === 'sent') return 'already_sent';
    if (claim === 'sending') throw new ReplyBeingSent();
  }
  const to = unseal(job.sealedTo, deps.encryptionKey);
  // Stable across retries and across both ways out, for gateways that deduplicate.
  const id = replyId ?? jobId;
  try {
    await deps.senders.senderFor(job.channel).send({ to, from: job.from, text: job.text, coding: job.coding, ...(id ? { id } : {}) });
  } catch (err) {
    if (replyId) await deps.sent.release(replyId).catch(() => undefined);
    throw err;
  }
  deps.logger.info(
    { purpose: job.purpose, operatorId: job.operatorId, channel: job.channel, reportReference: job.reportReference },
    'reply handed to gateway',
  );
  if (replyId) {
    // The gateway has it: failing now would only send it again.
    await deps.sent
      .markSent(replyId)
      .catch((err: unknown) => deps.logger.warn({ err, purpose: job.purpose }, 'could not mark a sent reply'));
  }
  return 'sent';
}
