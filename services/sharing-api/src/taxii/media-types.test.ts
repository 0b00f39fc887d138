import { acceptsTaxii, isTaxiiContentType } from './media-types';

describe('TAXII content negotiation', () => {
  it('accepts TAXII 2.1, unversioned TAXII and wildcards', () => {
    for (const accept of [
      'application/taxii+json;version=2.1',
      'application/taxii+json; version="2.1"',
      'application/taxii+json',
      'application/json;q=0.5, application/taxii+json;version=2.1',
      '*/*',
      'application/*',
    ]) {
      expect(acceptsTaxii(accept)).toBe(true);
    }
  });

  it('refuses other media types, other TAXII versions, q=0 and a missing header', () => {
    for (const accept of [
      undefined,
      '',
      'application/json',
      'application/taxii+json;version=2.0',
      'application/taxii+json;version=2.1;q=0',
      'text/*',
    ]) {
      expect(acceptsTaxii(accept)).toBe(false);
    }
  });

  it('takes a body only as TAXII 2.1', () => {
    expect(isTaxiiContentType('application/taxii+json;version=2.1')).toBe(true);
    expect(isTaxiiContentType('application/taxii+json; version=2.1; charset=utf-8')).toBe(true);
    expect(isTaxiiContentType('application/json')).toBe(false);
    expect(isTaxiiContentType('application/stix+json;version=2.1')).toBe(false);
    expect(isTaxiiContentType(undefined)).toBe(false);
  });
});
