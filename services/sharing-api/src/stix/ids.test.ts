import { CONSORTIUM_IDENTITY_ID, STIX_ID, stixId, uuidv5 } from './ids';
import { SMS_OBSERVABLES_EXTENSION_ID } from './sms-observables';

describe('STIX ids', () => {
  it('name TAXII collections by RFC 9562 version 5 UUIDs', () => {
    // The RFC's own example: the DNS namespace and www.example.com.
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('of stored objects are their type and the uuid their row keeps', () => {
    expect(stixId('indicator', '3f0b8e64-6a53-4d0a-9a0e-4f7d3c2b1a09')).toBe('indicator--3f0b8e64-6a53-4d0a-9a0e-4f7d3c2b1a09');
  });

  it('of the objects that live in code are fixed UUIDv4s', () => {
    for (const id of [CONSORTIUM_IDENTITY_ID, SMS_OBSERVABLES_EXTENSION_ID]) {
      expect(STIX_ID.exec(id)?.[2]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab]/);
    }
  });
});
