import type { SmppConfig } from '@srs/config';
import { seal } from '@srs/core';
import type { SmppSubmitQueue } from '@srs/queue';
import { randomUUID } from 'node:crypto';
import type { OutboundSms, SmsSender } from './sms-sender';

/**
 * Replies to subscribers who wrote in over SMPP. The bind to the SMSC belongs
 * to one process (the intake's SMPP entry), not to every worker, so the reply
 * is handed to that process's queue: taken once Redis holds it, sent there at
 * the pace of the bind's window and throughput. The address travels sealed, as
 * in every job.
 */
export class SmppSmsSender implements SmsSender {
  constructor(
    private readonly smpp: Pick<SmppConfig, 'connection' | 'operator'>,
    private readonly queue: SmppSubmitQueue,
    private readonly encryptionKey: Buffer,
  ) {}

  async send(sms: OutboundSms): Promise<void> {
    await this.queue.add(
      {
        v: 1,
        operatorId: this.smpp.operator,
        connection: this.smpp.connection,
        sealedTo: seal(sms.to, this.encryptionKey),
        text: sms.text,
        coding: sms.coding,
      },
      sms.id ?? randomUUID(),
    );
  }
}
