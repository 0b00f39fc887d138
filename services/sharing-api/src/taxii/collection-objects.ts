import { TLP_LEVELS } from '@srs/core';
import type { TaxiiObjectRow, TaxiiPosition, TaxiiRepository } from '@srs/db';
import {
  consortiumIdentity,
  operatorIdentity,
  smsObservablesExtension,
  stixCampaign,
  stixIndicator,
  stixSighting,
  stixVersion,
  tlpMarkingDefinition,
  type StixObject,
} from '../stix';
import type { Collection } from './collections';
import type { TaxiiFilters } from './query';

export interface CollectionEntry {
  position: TaxiiPosition;
  object: StixObject;
  version: string;
}

function entry(position: TaxiiPosition, object: StixObject): CollectionEntry {
  return { position, object, version: stixVersion(object) };
}

/**
 * Objects every collection holds that live in code, not in the database: the
 * TLP markings, the SMS observables extension and the identity that made it.
 * They sort first (rank 0, dated as published), a microsecond apart: no two
 * objects share a date_added, so added_after never splits a tie.
 */
const FIXED: readonly CollectionEntry[] = [
  ...TLP_LEVELS.map((tlp, i) =>
    entry({ dateAdded: `2022-10-01T00:00:00.00000${i}Z`, rank: 0, ref: `tlp-${i}` }, tlpMarkingDefinition(tlp)),
  ),
  entry({ dateAdded: '2025-01-01T00:00:00.000000Z', rank: 0, ref: 'consortium' }, consortiumIdentity()),
  entry({ dateAdded: '2025-01-01T00:00:00.000001Z', rank: 0, ref: 'sms-observables' }, smsObservablesExtension()),
];

/** Positions in the one format both sides write (microseconds, Z), so strings compare as times do. */
function comparePositions(a: TaxiiPosition, b: TaxiiPosition): number {
  if (a.dateAdded !== b.dateAdded) return a.dateAdded < b.dateAdded ? -1 : 1;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.ref === b.ref ? 0 : a.ref < b.ref ? -1 : 1;
}

function toMicros(timestamp: string): string {
  const [whole, fraction = ''] = timestamp.replace(/Z$/, '').split('.');
  return `${whole}.${fraction.padEnd(6, '0')}Z`;
}

function fixedMatches(e: CollectionEntry, filters: TaxiiFilters): boolean {
  if (filters.next && comparePositions(e.position, filters.next) <= 0) return false;
  if (filters.addedAfter && e.position.dateAdded <= toMicros(filters.addedAfter)) return false;
  if (filters.types && !filters.types.includes(e.object.type)) return false;
  if (filters.ids && !filters.ids.includes(e.object.id)) return false;
  if (filters.versions && !filters.versions.some((v) => Date.parse(v) === Date.parse(e.version))) return false;
  return true;
}

function stixObject(row: TaxiiObjectRow): StixObject {
  switch (row.kind) {
    case 'identity':
      return operatorIdentity(row);
    case 'indicator':
      return stixIndicator(row);
    case 'campaign':
      return stixCampaign(row);
    case 'sighting':
      return stixSighting(row);
  }
}

/**
 * One page of a collection as the viewer may see it, in date_added order:
 * what the filters match after `next`, at most `limit`, and whether more follow.
 */
export async function readCollection(
  repo: TaxiiRepository,
  collection: Collection,
  viewer: string,
  filters: TaxiiFilters,
  sampleMinReporters: number,
): Promise<{ entries: CollectionEntry[]; more: boolean }> {
  if (!filters.specVersionServed) return { entries: [], more: false };
  const rows = await repo.objects({
    collectionOperator: collection.operatorId,
    viewer,
    sampleMinReporters,
    limit: filters.limit + 1,
    ...(filters.next ? { after: filters.next } : {}),
    ...(filters.addedAfter ? { addedAfter: filters.addedAfter } : {}),
    ...(filters.types ? { types: filters.types } : {}),
    ...(filters.ids ? { ids: filters.ids } : {}),
    ...(filters.versions ? { versions: filters.versions } : {}),
  });
  const merged = [
    ...FIXED.filter((e) => fixedMatches(e, filters)),
    ...rows.map((row) => entry({ dateAdded: row.dateAdded, rank: row.rank, ref: row.ref }, stixObject(row))),
  ].sort((a, b) => comparePositions(a.position, b.position));
  return { entries: merged.slice(0, filters.limit), more: merged.length > filters.limit };
}
