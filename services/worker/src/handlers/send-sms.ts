import { unseal } from '@srs/core';
import type { Logger } from '@srs/logging';
import { outboundSmsJob } from '@srs/queue';
import type { SenderRegistry } from '../outbound/sender-registry';

export interface SendSmsDeps {
  senders: SenderRegistry;
  encryptionKey: Buffer;
  logger: Logger;
}

/** Hands one reply to the gateway it belongs to; a failure is retried by the queue with backoff. */
export async function sendSms(deps: SendSmsDeps, payload: unknown, jobId?: string): Promise<void> {
  const job = outboundSmsJob.parse(payload);
  const to = unseal(job.sealedTo, deps.encryptionKey);
  await deps.senders.senderFor(job.channel).send({ to, from: job.from, text: job.text, coding: job.coding, ...(jobId ? { id: jobId } : {}) });
  deps.logger.info(
    { purpose: job.purpose, operatorId: job.operatorId, channel: job.channel, reportReference: job.reportReference },
    'reply handed to gateway',
  );
}
