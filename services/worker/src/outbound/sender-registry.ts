import type { Config } from '@srs/config';
import { REPLY_ANSWER_WAIT_MS, type Channel } from '@srs/queue';
import { UnrecoverableError } from 'bullmq';
import { KannelSmsSender } from './kannel-sendsms';
import type { SmsSender } from './sms-sender';
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

  constructor(config: Pick<Config, 'routing'>) {
    const timeoutMs = REPLY_ANSWER_WAIT_MS;
    for (const c of config.routing.kannel) this.senders.set(`kannel/${c.name}`, new KannelSmsSender(c, timeoutMs));
    for (const c of config.routing.twilio) this.senders.set(`twilio/${c.name}`, new TwilioSmsSender(c, { timeoutMs }));
    for (const c of config.routing.webhooks) {
      if (c.replyUrl) this.senders.set(`webhook/${c.name}`, new WebhookSmsSender(c, { timeoutMs }));
    }
  }

  senderFor(channel: Channel): SmsSender {
    const sender = this.senders.get(`${channel.gateway}/${channel.connection}`);
    // Retrying cannot help a connection the configuration does not have.
    if (!sender) throw new UnrecoverableError(`no outbound connection ${channel.gateway}/${channel.connection}`);
    return sender;
  }
}
