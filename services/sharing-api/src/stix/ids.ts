import { createHash } from 'node:crypto';

/**
 * STIX ids are UUIDv5 of our own ids under this project namespace, so an
 * indicator keeps its STIX id across versions and every server of the project
 * gives it the same one. Migration 007 indexes the same names in PostgreSQL
 * (uuid_generate_v5): change neither without the other.
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
const INDICATOR_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const CONSORTIUM_IDENTITY_ID = `identity--${uuidv5('identity:consortium')}`;

/**
 * `c<n>` or `p<n>`; an operator that published over TAXII chose the STIX id
 * itself (its client id). Other published indicators have a random uuid of
 * their own (`stixUuid`, migration 017): a name-based one would give their row
 * number away to anyone enumerating names.
 */
export function indicatorStixId(feedId: string, clientId: string | null, stixUuid?: string | null): string {
  if (feedId.startsWith('p') && clientId && INDICATOR_ID.test(clientId)) return clientId;
  if (feedId.startsWith('p') && stixUuid) return `indicator--${stixUuid}`;
  return `indicator--${uuidv5(`indicator:${feedId}`)}`;
}

export function campaignStixId(campaignId: string): string {
  return `campaign--${uuidv5(`campaign:${campaignId}`)}`;
}

export function sightingStixId(sightingId: string): string {
  return `sighting--${uuidv5(`sighting:${sightingId}`)}`;
}

export function operatorIdentityId(operatorId: string): string {
  return `identity--${uuidv5(`identity:operator:${operatorId}`)}`;
}
