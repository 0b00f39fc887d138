import { smsCoding, smsSize } from './sms-encoding';

describe('SMS coding and size', () => {
  it('sends GSM-7 texts as GSM-7, 160 to a segment', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ coding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ coding: 'gsm7', units: 161, segments: 2 });
    expect(smsCoding('Merci, été £5 @ Ñ')).toBe('gsm7');
  });

  it('counts extension characters twice', () => {
    expect(smsSize('€'.repeat(80))).toMatchObject({ coding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('€'.repeat(81)).segments).toBe(2);
  });

  it('switches to UCS-2 for anything outside the GSM alphabet, 70 to a segment', () => {
    expect(smsSize('感谢您的举报'.repeat(11) + '感谢您的')).toMatchObject({ coding: 'ucs2', units: 70, segments: 1 });
    expect(smsSize('شكرا'.repeat(18)).segments).toBe(2);
    expect(smsCoding('thanks 👍')).toBe('ucs2');
    expect(smsCoding('ç')).toBe('ucs2');
  });
});
