import type { SmsCoding } from '@srs/core';

/** SMPP 3.4 type of number and numbering plan indicator values the gateway uses. */
const TON = { unknown: 0, international: 1, networkSpecific: 3, alphanumeric: 5 } as const;
const NPI = { unknown: 0, isdn: 1 } as const;

/** GSM 03.38 (data_coding 0, the SMSC default alphabet) and UCS-2 (8). */
const DATA_CODING: Record<SmsCoding, number> = { gsm7: 0x00, ucs2: 0x08 };
/** What one short_message holds; a longer text goes in message_payload. */
const SHORT_MESSAGE_CHARACTERS: Record<SmsCoding, number> = { gsm7: 160, ucs2: 70 };

/** submit_sm answers that no retry can change: a malformed address or length. */
export const PERMANENT_SUBMIT_STATUSES: ReadonlySet<number> = new Set([
  0x01, // ESME_RINVMSGLEN
  0x0a, // ESME_RINVSRCADR
  0x0b, // ESME_RINVDSTADR
  0x48, // ESME_RINVSRCTON
  0x49, // ESME_RINVSRCNPI
  0x50, // ESME_RINVDSTTON
  0x51, // ESME_RINVDSTNPI
]);

/**
 * The submit_sm of one reply. The subscriber's address comes back as the
 * deliver_sm gave it (an international number as +digits: TON 1, NPI 1); the
 * source is the short code (a network-specific number) or a name (alphanumeric).
 */
export function submitSmFields(reply: { to: string; from: string; text: string; coding: SmsCoding }): Record<string, unknown> {
  const international = reply.to.startsWith('+');
  const alphanumeric = /[^0-9]/.test(reply.from);
  const body =
    reply.text.length <= SHORT_MESSAGE_CHARACTERS[reply.coding] ? { short_message: reply.text } : { message_payload: reply.text };
  return {
    source_addr_ton: alphanumeric ? TON.alphanumeric : TON.networkSpecific,
    source_addr_npi: alphanumeric ? NPI.unknown : NPI.isdn,
    source_addr: reply.from,
    dest_addr_ton: international ? TON.international : TON.unknown,
    dest_addr_npi: NPI.isdn,
    destination_addr: international ? reply.to.slice(1) : reply.to,
    registered_delivery: 0,
    data_coding: DATA_CODING[reply.coding],
    ...body,
  };
}
