import type { TaxiiIdentityRow } from '@srs/db';
import { CONSORTIUM_IDENTITY_ID, stixId } from './ids';
import { SMS_OBSERVABLES_CREATED } from './sms-observables';
import { tlpMarkingRef } from './tlp';
import type { StixObject } from './types';

/** The service itself: creator of the consortium's indicators and campaigns. */
export function consortiumIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: CONSORTIUM_IDENTITY_ID,
    created: SMS_OBSERVABLES_CREATED,
    modified: SMS_OBSERVABLES_CREATED,
    name: 'Open Spam Reporting Service',
    description: 'Intelligence derived from SMS spam that subscribers of the consortium operators forwarded to 7726.',
    identity_class: 'system',
    sectors: ['telecommunications'],
    object_marking_refs: [tlpMarkingRef('clear')],
  };
}

export function operatorIdentity(row: TaxiiIdentityRow): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', row.stixUuid),
    created: row.created,
    modified: row.modified,
    name: row.name,
    description: `Mobile network operator (${row.country}), member of the SMS spam reporting consortium.`,
    identity_class: 'organization',
    sectors: ['telecommunications'],
    object_marking_refs: [tlpMarkingRef('green')],
  };
}
