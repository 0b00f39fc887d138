import type { TaxiiSightingRow } from '@srs/db';
import { stixId } from './ids';
import { tlpMarkingRef } from './tlp';
import type { StixObject } from './types';

/**
 * An operator's sighting of an indicator, marked as the indicator is. STIX has no false-positive flag: a label says it.
 * The operator's note stays out: it is the operator's own.
 */
export function stixSighting(row: TaxiiSightingRow): StixObject {
  const sighter = stixId('identity', row.operatorStixUuid);
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: stixId('sighting', row.stixUuid),
    created_by_ref: sighter,
    created: row.created,
    modified: row.modified,
    description:
      row.sightingKind === 'blocked'
        ? 'Messages blocked by this indicator.'
        : 'A false positive: legitimate messages matched this indicator.',
    first_seen: row.observedAt,
    last_seen: row.observedAt,
    count: row.count,
    sighting_of_ref: stixId('indicator', row.indicatorStixUuid),
    where_sighted_refs: [sighter],
    labels: [row.sightingKind === 'blocked' ? 'blocked' : 'false-positive'],
    object_marking_refs: [tlpMarkingRef(row.tlp)],
    // Its operator took it back: no longer what the operator says.
    ...(row.revoked ? { revoked: true } : {}),
  };
}
