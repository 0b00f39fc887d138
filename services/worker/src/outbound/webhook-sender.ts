import { randomUUID } from 'node:crypto';
import type { WebhookConnection } from '@srs/config';
import { Webhook } from 'standardwebhooks';
import { answerDeadline } from '@srs/http';
import { GatewayRejectedError, type OutboundSms, type SmsSender } from './sms-sender';
import type { HttpSenderOptions } from './twilio-sender';

/**
 * Replies to an operator's own endpoint as a Standard Webhooks delivery,
 * signed with the same secret that signs the operator's inbound deliveries,
 * so the operator checks both directions with one key.
 */
export class WebhookSmsSender implements SmsSender {
  private readonly replyUrl: string;
  private readonly host: string;
  private readonly webhook: Webhook;
  private readonly timeoutMs: number;

  constructor(connection: WebhookConnection, options: HttpSenderOptions = {}) {
    // Fail at start-up rather than on the first reply: without a URL there is nowhere to send.
    if (!connection.replyUrl) throw new Error(`webhook connection ${connection.name} has no replyUrl to send replies to`);
    this.replyUrl = connection.replyUrl;
    this.host = new URL(this.replyUrl).host;
    // Decodes the whsec_ secret now, so a malformed one also fails at start-up.
    this.webhook = new Webhook(connection.secret);
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async send(sms: OutboundSms): Promise<void> {
    const payload = JSON.stringify({ type: 'sms.reply', to: sms.to, from: sms.from, text: sms.text, coding: sms.coding });
    // Stable across retries when the queue gives an id, so the receiver's duplicate check (on webhook-id) works.
    const id = sms.id ? `msg_${sms.id.replace(/[^A-Za-z0-9_-]/g, '')}` : `msg_${randomUUID().replace(/-/g, '')}`;
    const timestamp = new Date();
    const response = await fetch(this.replyUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        // The signature covers exactly these bytes: send the string that was signed.
        'webhook-signature': this.webhook.sign(id, timestamp, payload),
      },
      body: payload,
      signal: answerDeadline(this.timeoutMs, this.host),
    });
    const body = (await response.text()).slice(0, 200);
    if (!response.ok) throw new GatewayRejectedError(response.status, body);
  }
}
