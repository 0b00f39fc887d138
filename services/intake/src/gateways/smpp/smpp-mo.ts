import type { MessageCoding } from '@srs/core';
import type { DecodedMessage, PDU } from 'smpp';

/** A subscriber's message as a deliver_sm carries it, decoded. */
export interface SmppMo {
  from: string;
  to: string;
  text: string;
  coding: MessageCoding;
  /** one part of a concatenated message: its reference, how many parts there are and which one this is (from 1) */
  segment: SmppSegment | null;
}

export interface SmppSegment {
  reference: number;
  total: number;
  seq: number;
}

/** esm_class bits 2–5: 0 is a plain short message; 1 (0x04) and 2 (0x08) are delivery receipts and acknowledgements. */
const MESSAGE_TYPE_MASK = 0x3c;

/**
 * Reads a deliver_sm: null for a delivery receipt (the service asks for none,
 * so there is nothing to do with one but acknowledge it). The smpp package has
 * decoded the text by its data_coding already: 0 (the SMSC default alphabet,
 * GSM 03.38 septets one per octet, as SMPP carries them), 3 (Latin-1) and
 * 8 (UCS-2, big-endian); a user data header, when esm_class says there is one,
 * is split off. A long message whose text arrives in message_payload reads from there.
 */
export function readDeliverSm(pdu: PDU): SmppMo | null {
  if ((Number(pdu.esm_class) & MESSAGE_TYPE_MASK) !== 0) return null;
  const body = textOf(pdu.message_payload) ?? textOf(pdu.short_message) ?? { text: '', binary: false };
  return {
    from: subscriberAddress(String(pdu.source_addr ?? ''), Number(pdu.source_addr_ton ?? 0)),
    to: String(pdu.destination_addr ?? ''),
    text: body.text,
    coding: codingOf(Number(pdu.data_coding ?? 0), body.binary),
    segment: segmentOf(pdu),
  };
}

/** UDH information elements of concatenation (3GPP TS 23.040, 9.2.3.24.1 and .8): 8-bit and 16-bit reference. */
const IEI_CONCAT_8BIT = 0x00;
const IEI_CONCAT_16BIT = 0x08;

/**
 * Where a part of a concatenated message says so: in its UDH (the smpp
 * package has split the header into its information elements) or in the
 * sar_ TLVs. A "set" of one part, or a part numbered outside it, is read as a
 * message of its own.
 */
function segmentOf(pdu: PDU): SmppSegment | null {
  let found: SmppSegment | null = null;
  for (const ie of udhOf(pdu.short_message) ?? udhOf(pdu.message_payload) ?? []) {
    if (ie[0] === IEI_CONCAT_8BIT && ie[1] === 3 && ie.length >= 5) found = { reference: ie[2]!, total: ie[3]!, seq: ie[4]! };
    if (ie[0] === IEI_CONCAT_16BIT && ie[1] === 4 && ie.length >= 6) found = { reference: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! };
  }
  if (!found && pdu.sar_msg_ref_num !== undefined && pdu.sar_total_segments !== undefined && pdu.sar_segment_seqnum !== undefined) {
    found = { reference: Number(pdu.sar_msg_ref_num), total: Number(pdu.sar_total_segments), seq: Number(pdu.sar_segment_seqnum) };
  }
  if (!found || found.total < 2 || found.seq < 1 || found.seq > found.total) return null;
  return found;
}

function udhOf(field: unknown): Buffer[] | undefined {
  const udh = (field as DecodedMessage | undefined)?.udh;
  return Array.isArray(udh) && udh.length > 0 ? udh : undefined;
}

/** An international number (TON 1) is kept as +digits, so that it is read, and answered, as one. */
function subscriberAddress(address: string, ton: number): string {
  return ton === 1 && /^[0-9]+$/.test(address) ? `+${address}` : address;
}

function textOf(field: unknown): { text: string; binary: boolean } | undefined {
  if (field === undefined || field === null) return undefined;
  const message = (field as DecodedMessage).message ?? field;
  if (typeof message === 'string') return message.length > 0 ? { text: message, binary: false } : undefined;
  // A data_coding the package does not decode (binary, a national character set): its octets, as Kannel passes 8-bit text on.
  if (Buffer.isBuffer(message)) return message.length > 0 ? { text: message.toString('latin1'), binary: true } : undefined;
  return undefined;
}

function codingOf(dataCoding: number, binary: boolean): MessageCoding {
  if ((dataCoding & 0x0f) === 0x08) return 'ucs2';
  return binary ? '8bit' : 'gsm7';
}
