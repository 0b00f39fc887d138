import type { TwilioConnection } from '@srs/config';
import { answerDeadline } from '@srs/http';
import { GatewayRejectedError, type OutboundSms, type SmsSender } from './sms-sender';

export interface HttpSenderOptions {
  /** how long to wait for the gateway's answer before giving up (the queue retries) */
  timeoutMs?: number;
}

/**
 * Replies through a Twilio-style Messages API (Twilio itself, or a compatible
 * gateway at `apiUrl`). Twilio picks GSM-7 or UCS-2 from the text itself, so
 * `coding` is not sent.
 */
export class TwilioSmsSender implements SmsSender {
  private readonly endpoint: string;
  private readonly host: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(connection: TwilioConnection, options: HttpSenderOptions = {}) {
    // apiUrl may be configured with or without a trailing slash.
    const base = connection.apiUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(connection.accountSid)}/Messages.json`;
    this.host = new URL(this.endpoint).host;
    this.authorization = `Basic ${Buffer.from(`${connection.accountSid}:${connection.authToken}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async send(sms: OutboundSms): Promise<void> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.text }).toString(),
      signal: answerDeadline(this.timeoutMs, this.host),
    });
    // Read the body even on success so the connection can be reused.
    const body = (await response.text()).slice(0, 200);
    if (!response.ok) throw new GatewayRejectedError(response.status, body);
  }
}
