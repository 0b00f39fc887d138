import { createHash } from 'node:crypto';

/**
 * The namespace of name-based ids: TAXII collection ids, and the STIX ids
 * rows had before migration 020 (they keep them). STIX objects made since
 * have a random UUIDv4 stored with their row, as STIX asks of SDOs and SROs.
 */
export const STIX_NAMESPACE = 'adec8f4b-9ef5-4403-93dc-10ce6e553d45';

/** RFC 9562 version 5 (SHA-1, name-based) UUID. */
export function uuidv5(name: string, namespace = STIX_NAMESPACE): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A STIX identifier as the STIX 2.1 schemas define it (lower-case hex, as this server writes them). */
export const STIX_ID = /^([a-z][a-z0-9-]+[a-z0-9])--([0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/;

/** The service's own identity, creator of the consortium's objects: one random v4, fixed for good. */
export const CONSORTIUM_IDENTITY_ID = 'identity--6bb91b97-d40c-476c-94b3-1455ce47a6b0';

/** The STIX id of a stored object: its type and the uuid its row keeps (`stix_uuid`, migrations 017 and 020). */
export function stixId(type: string, uuid: string): string {
  return `${type}--${uuid}`;
}
