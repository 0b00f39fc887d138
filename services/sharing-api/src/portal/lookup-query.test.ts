import { lookupCandidates } from './lookup-query';

const as = (q: string, country = 'GB') => lookupCandidates(q, country).map((c) => `${c.type} ${c.value}`);

describe('what a portal look-up searches for', () => {
  it.each([
    '07700 900123',
    '07700-900-123',
    '(07700) 900123',
    '+44 (0)7700 900123',
    '447700900123',
    '0044 7700 900123',
    '+44 7700 900 123',
  ])('reads the number %s, as a subscriber types it, in E.164 as a sender and as a number in a text', (q) => {
    expect(as(q)).toEqual(['sender_msisdn +447700900123', 'phone +447700900123']);
  });

  it.each(['tel:+447700900123', 'sms:07700900123', 'SMSTO:+447700900123'])('reads the number behind a phone link %s', (q) => {
    expect(as(q)).toEqual(['sender_msisdn +447700900123', 'phone +447700900123']);
  });

  it("reads a national number in the country of the key's operator", () => {
    expect(as('06 12 34 56 78', 'FR')).toEqual(['sender_msisdn +33612345678', 'phone +33612345678']);
  });

  it('reads sender IDs, short codes, links, domains and e-mail addresses', () => {
    expect(as('hsbc-uk')).toEqual(['sender_alphanumeric HSBC-UK']);
    expect(as('65432')).toEqual(['sender_short_code 65432']);
    expect(as('https://evri-parcel.top/x?y=1')).toEqual(['url https://evri-parcel.top/x?y=1', 'domain evri-parcel.top']);
    expect(as('EVRI-PARCEL.TOP')).toContain('domain evri-parcel.top');
    expect(as('info@evil.top')).toEqual(['email info@evil.top']);
  });

  it('searches a link on a bare IP address as a link, which no indicator has', () => {
    expect(as('http://45.12.3.4/bank')).toEqual(['url http://45.12.3.4/bank']);
  });

  it('finds nothing to search for in punctuation', () => {
    expect(as('!!!')).toEqual([]);
  });
});
