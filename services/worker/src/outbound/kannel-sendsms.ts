import type { KannelConnection } from '@srs/config';
import { keepAliveGet } from '@srs/http';
import { GatewayRejectedError, type OutboundSms, type SmsSender } from './sms-sender';

/**
 * Kannel's sendsms HTTP interface. UCS-2 texts are sent with `coding=2`; the
 * text is always passed as UTF-8 and Kannel converts it for the SMSC.
 */
export class KannelSmsSender implements SmsSender {
  constructor(
    private readonly connection: KannelConnection,
    private readonly timeoutMs = 5000,
  ) {}

  async send(sms: OutboundSms): Promise<void> {
    const url = new URL(this.connection.sendsmsUrl);
    const params: Record<string, string> = {
      username: this.connection.user,
      password: this.connection.password,
      from: sms.from,
      to: sms.to,
      text: sms.text,
      charset: 'UTF-8',
      coding: sms.coding === 'ucs2' ? '2' : '0',
    };
    if (this.connection.smscForReplies) params.smsc = this.connection.smscForReplies;
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const { status, body } = await keepAliveGet(url, this.timeoutMs);
    if (status < 200 || status > 299) throw new GatewayRejectedError(status, body);
  }
}
