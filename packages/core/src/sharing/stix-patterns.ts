import { INDICATOR_TYPES, type IndicatorType } from '../analysis';

/**
 * The project's two observables for SMS spam (declared by the sharing API's
 * `sms-observables` extension definition): a phone number, and an SMS sender
 * ID with its kind. Patterns are written and read here alone, so the TAXII
 * server and the federation pull agree on them.
 */
export const PHONE_NUMBER = 'phone-number';
export const SENDER_ID = 'sender-id';
export const SENDER_TYPES = ['msisdn', 'short-code', 'alphanumeric'] as const;
export type StixSenderType = (typeof SENDER_TYPES)[number];

const OBSERVABLE: Record<IndicatorType, { object: string; senderType?: StixSenderType }> = {
  url: { object: 'url' },
  domain: { object: 'domain-name' },
  email: { object: 'email-addr' },
  phone: { object: PHONE_NUMBER },
  sender_msisdn: { object: SENDER_ID, senderType: 'msisdn' },
  sender_short_code: { object: SENDER_ID, senderType: 'short-code' },
  sender_alphanumeric: { object: SENDER_ID, senderType: 'alphanumeric' },
};

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function unquote(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}

/** The STIX pattern matching one indicator; an internationalised domain matches in either spelling. */
export function indicatorPattern(type: string, value: string, ascii: string | null = null): string {
  const observable = OBSERVABLE[type as IndicatorType];
  if (!observable) throw new Error(`no STIX pattern for indicator type ${type}`);
  const { object, senderType } = observable;
  if (senderType) return `[${object}:value = ${quote(value)} AND ${object}:sender_type = '${senderType}']`;
  if (type === 'domain' && ascii && ascii !== value) return `[${object}:value = ${quote(value)} OR ${object}:value = ${quote(ascii)}]`;
  return `[${object}:value = ${quote(value)}]`;
}

const LITERAL = String.raw`'((?:[^'\\]|\\.)*)'`;
const SINGLE = new RegExp(String.raw`^\s*\[\s*([a-z][a-z0-9-]*):value\s*=\s*${LITERAL}\s*\]\s*$`);
const EITHER_DOMAIN = new RegExp(
  String.raw`^\s*\[\s*domain-name:value\s*=\s*${LITERAL}\s+OR\s+domain-name:value\s*=\s*${LITERAL}\s*\]\s*$`,
);
const SENDER = new RegExp(
  String.raw`^\s*\[\s*${SENDER_ID}:value\s*=\s*${LITERAL}\s+AND\s+${SENDER_ID}:sender_type\s*=\s*'([a-z-]+)'\s*\]\s*$`,
);

/**
 * The indicator a pattern names, for the patterns this project writes (one
 * observable compared for equality); anything richer is not an SMS indicator
 * it can store, and gives undefined.
 */
export function parseIndicatorPattern(pattern: string): { type: IndicatorType; value: string } | undefined {
  const sender = SENDER.exec(pattern);
  if (sender) {
    const type = INDICATOR_TYPES.find((t) => OBSERVABLE[t].senderType === sender[2]);
    return type ? { type, value: unquote(sender[1]!) } : undefined;
  }
  const domain = EITHER_DOMAIN.exec(pattern);
  if (domain) return { type: 'domain', value: unquote(domain[1]!) };
  const single = SINGLE.exec(pattern);
  if (!single) return undefined;
  const type = INDICATOR_TYPES.find((t) => OBSERVABLE[t].object === single[1] && !OBSERVABLE[t].senderType);
  return type ? { type, value: unquote(single[2]!) } : undefined;
}
