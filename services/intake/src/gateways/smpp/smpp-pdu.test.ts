import { PDU } from 'smpp';
import { readDeliverSm } from './smpp-mo';
import { submitSmFields } from './smpp-submit';

/** A deliver_sm as it comes off the wire: encoded by the smpp package, then decoded as the session decodes it. */
function received(fields: Record<string, unknown>): PDU {
  const sent = new PDU('deliver_sm', { source_addr: '447700900123', destination_addr: '7726', ...fields });
  return new PDU(sent.toBuffer());
}

describe('reading deliver_sm', () => {
  it('reads an international source (TON 1) as +digits and keeps a national one as it came', () => {
    expect(readDeliverSm(received({ source_addr_ton: 1, short_message: Buffer.from('hi') }))!.from).toBe('+447700900123');
    expect(readDeliverSm(received({ source_addr_ton: 2, source_addr: '07700900123', short_message: Buffer.from('hi') }))!.from).toBe(
      '07700900123',
    );
  });

  it('decodes GSM 03.38 (data_coding 0) and UCS-2 (data_coding 8)', () => {
    expect(readDeliverSm(received({ data_coding: 0, short_message: Buffer.from([0x01, 0x35, 0x1b, 0x65]) }))).toMatchObject({
      text: '£5€',
      coding: 'gsm7',
    });
    expect(readDeliverSm(received({ data_coding: 8, short_message: Buffer.from('不知道', 'utf16le').swap16() }))).toMatchObject({
      text: '不知道',
      coding: 'ucs2',
    });
  });

  it('takes a long text from message_payload', () => {
    const text = 'x'.repeat(300);
    expect(readDeliverSm(received({ data_coding: 0, short_message: Buffer.alloc(0), message_payload: Buffer.from(text) }))!.text).toBe(
      text,
    );
  });

  it('leaves out the user data header of a segment', () => {
    const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]);
    const pdu = received({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([udh, Buffer.from('Part one')]) });
    expect(readDeliverSm(pdu)!.text).toBe('Part one');
  });

  it('reads which part of which set a segment is: UDH with an 8-bit or a 16-bit reference, or the sar_ TLVs', () => {
    const text = Buffer.from('Part');
    const udh8 = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x03, 0x02]);
    expect(readDeliverSm(received({ esm_class: 0x40, short_message: Buffer.concat([udh8, text]) }))!.segment).toEqual({
      reference: 0x2a,
      total: 3,
      seq: 2,
    });
    const udh16 = Buffer.from([0x06, 0x08, 0x04, 0xbe, 0xef, 0x02, 0x01]);
    expect(readDeliverSm(received({ esm_class: 0x40, short_message: Buffer.concat([udh16, text]) }))!.segment).toEqual({
      reference: 0xbeef,
      total: 2,
      seq: 1,
    });
    const sar = { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 2 };
    expect(readDeliverSm(received({ short_message: text, ...sar }))!.segment).toEqual({ reference: 0x1234, total: 2, seq: 2 });
  });

  it('reads a single message, or a part numbered outside its set, as no segment', () => {
    expect(readDeliverSm(received({ short_message: Buffer.from('hi') }))!.segment).toBeNull();
    const outside = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x03]);
    expect(readDeliverSm(received({ esm_class: 0x40, short_message: Buffer.concat([outside, Buffer.from('x')]) }))!.segment).toBeNull();
  });

  it('gives nothing for a delivery receipt', () => {
    expect(readDeliverSm(received({ esm_class: 0x04, short_message: Buffer.from('id:1 stat:DELIVRD') }))).toBeNull();
  });
});

describe('the submit_sm of a reply', () => {
  it('answers an international subscriber with TON 1 from the short code, UCS-2 as data_coding 8', () => {
    expect(submitSmFields({ to: '+447700900123', from: '7726', text: '谢谢', coding: 'ucs2' })).toMatchObject({
      destination_addr: '447700900123',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      source_addr: '7726',
      source_addr_ton: 3,
      data_coding: 8,
      short_message: '谢谢',
    });
  });

  it('sends a name as an alphanumeric source and a text longer than one segment in message_payload', () => {
    const fields = submitSmFields({ to: '07700900123', from: 'SPAMREPORT', text: 'y'.repeat(161), coding: 'gsm7' });
    expect(fields).toMatchObject({ dest_addr_ton: 0, source_addr_ton: 5, data_coding: 0, message_payload: 'y'.repeat(161) });
    expect(fields).not.toHaveProperty('short_message');
  });
});
