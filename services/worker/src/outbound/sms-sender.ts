import type { SmsCoding } from '@srs/core';

export interface OutboundSms {
  to: string;
  from: string;
  text: string;
  coding: SmsCoding;
  /** stable across retries of the same reply, for gateways that deduplicate */
  id?: string;
}

/** The outbound port: one implementation per gateway. Throws when the gateway did not take the message. */
export interface SmsSender {
  send(sms: OutboundSms): Promise<void>;
}

export class GatewayRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`gateway answered ${status}: ${reason}`);
    this.name = 'GatewayRejectedError';
  }
}
