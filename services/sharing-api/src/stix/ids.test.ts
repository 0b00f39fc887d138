import { STIX_ID, indicatorStixId, operatorIdentityId, uuidv5 } from './ids';

describe('STIX ids', () => {
  it('are RFC 9562 version 5 UUIDs', () => {
    // The RFC's own example: the DNS namespace and www.example.com.
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('stay the same for the same indicator and differ between indicators', () => {
    expect(indicatorStixId('c42', null)).toBe(indicatorStixId('c42', null));
    expect(indicatorStixId('c42', null)).not.toBe(indicatorStixId('p42', null));
    expect(indicatorStixId('c42', null)).toMatch(STIX_ID);
    expect(operatorIdentityId('demo-uk')).toMatch(/^identity--/);
  });

  it('keep the STIX id an operator chose for what it published, and only a well-formed one', () => {
    const chosen = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
    expect(indicatorStixId('p7', chosen)).toBe(chosen);
    expect(indicatorStixId('p7', 'my-own-id')).toBe(indicatorStixId('p7', null));
    expect(indicatorStixId('c7', chosen)).not.toBe(chosen);
  });
});
