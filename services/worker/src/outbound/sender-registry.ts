import type { Config } from '@srs/config';
import { REPLY_ANSWER_WAIT_MS, SmppSubmitQueue, type Channel, type QueueSettings } from '@srs/queue';
import { UnrecoverableError } from 'bullmq';
import { KannelSmsSender } from './kannel-sendsms';
import type { SmsSender } from './sms-sender';
import { SmppSmsSender } from './smpp-sender';
import { TwilioSmsSender } from './twilio-sender';
import { WebhookSmsSender } from './webhook-sender';

/**
 * One outbound sender per configured connection: a reply leaves through the
 * connection its subscriber wrote in on. Each request waits for the gateway's
 * answer as long as the reply's claim holds; the job that sends it waits only
 * KANNEL_TIMEOUT_MS of that (ReplyDispatcher).
 */
export class SenderRegistry {
  private readonly senders = new Map<string, SmsSender>();
  private readonly smppQueue: SmppSubmitQueue | undefined;

  /** `producer`: where replies to an SMPP bind are queued (without it, a deployment with SMPP_ENABLED has no way to them) */
  constructor(config: Pick<Config, 'routing' | 'smpp' | 'privacy' | 'worker'>, producer?: QueueSettings) {
    const timeoutMs = REPLY_ANSWER_WAIT_MS;
    for (const c of config.routing.kannel) this.senders.set(`kannel/${c.name}`, new KannelSmsSender(c, timeoutMs));
    for (const c of config.routing.twilio) this.senders.set(`twilio/${c.name}`, new TwilioSmsSender(c, { timeoutMs }));
    for (const c of config.routing.webhooks) {
      if (c.replyUrl) this.senders.set(`webhook/${c.name}`, new WebhookSmsSender(c, { timeoutMs }));
    }
    if (config.smpp && producer) {
      this.smppQueue = new SmppSubmitQueue(producer, config.worker.outboundAttempts);
      this.senders.set(
        `smpp/${config.smpp.connection}`,
        new SmppSmsSender(config.smpp, this.smppQueue, config.privacy.msisdnEncryptionKey),
      );
    }
  }

  senderFor(channel: Channel): SmsSender {
    const sender = this.senders.get(`${channel.gateway}/${channel.connection}`);
    // Retrying cannot help a connection the configuration does not have.
    if (!sender) throw new UnrecoverableError(`no outbound connection ${channel.gateway}/${channel.connection}`);
    return sender;
  }

  async close(): Promise<void> {
    await this.smppQueue?.close();
  }
}
