import { canonicalMsisdn } from './msisdn';

describe('canonicalMsisdn', () => {
  it('gives the same E.164 number whichever way a gateway writes it', () => {
    const forms = ['447700900123', '+447700900123', '00447700900123', '07700 900123', '+44 7700 900123'];
    expect(new Set(forms.map((f) => canonicalMsisdn(f, 'GB')))).toEqual(new Set(['+447700900123']));
  });

  it('reads a national number in the operator country', () => {
    expect(canonicalMsisdn('0612345678', 'FR')).toBe('+33612345678');
  });

  it('keeps an international number from another country as it is', () => {
    expect(canonicalMsisdn('33612345678', 'GB')).toBe('+33612345678');
  });

  it('refuses text that is not a number', () => {
    expect(() => canonicalMsisdn('VODAFONE', 'GB')).toThrow(RangeError);
    expect(() => canonicalMsisdn('', 'GB')).toThrow(RangeError);
  });
});
