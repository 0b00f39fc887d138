import type { TaxiiIndicatorRow } from '@srs/db';
import { CONSORTIUM_IDENTITY_ID, stixId } from './ids';
import { indicatorPattern } from './patterns';
import { tlpMarkingRef } from './tlp';
import type { StixObject } from './types';

const NOUN: Record<string, string> = {
  url: 'URL',
  domain: 'domain',
  email: 'e-mail address',
  phone: 'phone number',
  sender_msisdn: 'sender number',
  sender_short_code: 'sender short code',
  sender_alphanumeric: 'sender ID',
};

/** STIX forbids created_by_ref to change between versions: a version made here of a posted object keeps the posted one, or none. */
function createdBy(row: TaxiiIndicatorRow): { created_by_ref?: string } {
  if (row.posted) return row.postedCreatedByRef ? { created_by_ref: row.postedCreatedByRef } : {};
  return { created_by_ref: row.sourceStixUuid ? stixId('identity', row.sourceStixUuid) : CONSORTIUM_IDENTITY_ID };
}

/** STIX requires valid_until to be later than valid_from. */
function laterThan(validFrom: string, candidate: string): string {
  const from = Date.parse(validFrom);
  return Date.parse(candidate) > from ? candidate : new Date(from + 1).toISOString();
}

/**
 * An indicator of the consortium or of an operator. A withdrawal (no longer
 * shared, expired) is a new version that stops being valid at its
 * `modified`; sharing it again is a later version without `valid_until`.
 * Only a revocation is final, as STIX `revoked` is.
 */
export function stixIndicator(row: TaxiiIndicatorRow): StixObject {
  // What an operator POSTed over TAXII is served as it was sent, while it is the version held.
  if (row.sent) return row.sent as unknown as StixObject;
  const consortium = row.source === 'consortium';
  const withdrawn = !row.shared || row.status === 'expired';
  const validUntil = withdrawn ? row.modified : row.validUntil;
  const noun = NOUN[row.type] ?? row.type;
  // The validator asks every indicator for a description (indicator-properties): one is always written.
  const description =
    row.description ??
    (consortium
      ? `Seen in ${row.category} SMS spam: reported by ${row.reporters ?? 0} subscribers through ${row.operators ?? 0} operators.`
      : `A ${noun} seen in ${row.category} SMS spam, shared by a consortium operator.`);
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixId('indicator', row.stixUuid),
    ...createdBy(row),
    created: row.created,
    modified: row.modified,
    name: `${row.category} ${noun}: ${row.value}`,
    description,
    indicator_types: ['malicious-activity'],
    pattern: indicatorPattern(row.type, row.value, row.ascii),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: row.validFrom,
    ...(validUntil ? { valid_until: laterThan(row.validFrom, validUntil) } : {}),
    labels: [row.category],
    confidence: Math.max(0, Math.min(100, Math.round(row.confidence * 100))),
    ...(row.status === 'revoked' ? { revoked: true } : {}),
    object_marking_refs: [tlpMarkingRef(row.tlp)],
  };
}
