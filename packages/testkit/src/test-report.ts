import type { NewReport } from '@srs/db';
import { uniqueSuffix } from './ids';

/** A report as the worker would store it (demo-uk over Kannel, sender SHOP), with a unique message id and reference unless given. */
export function testReport(overrides: Partial<NewReport> = {}): NewReport {
  const id = overrides.gatewayMessageId ?? `m-${uniqueSuffix()}`;
  return {
    reference: `T${uniqueSuffix().slice(0, 7).toUpperCase()}`,
    operatorId: 'demo-uk',
    gateway: 'kannel',
    gatewayMessageId: id,
    reporterPseudonym: 'p',
    shortCode: '7726',
    body: `text of ${id}`,
    coding: 'gsm7',
    smsc: null,
    channel: 'kannel',
    language: 'en',
    receivedAt: new Date(),
    sender: { kind: 'alphanumeric', value: 'SHOP', display: 'SHOP' },
    ...overrides,
  };
}
