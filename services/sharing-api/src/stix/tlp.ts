import { TLP_2_0_MARKINGS, type Tlp } from '@srs/core';
import type { StixObject } from './types';

/** Marking ids and reading them have one home, @srs/core, which the federation pull reads TLPs with too. */
export { tlpMarkingRef, tlpOfMarkingRefs } from '@srs/core';

export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP_MARKING_CREATED = '2022-10-01T00:00:00.000Z';

export function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_2_0_MARKINGS[tlp].id,
    created: TLP_MARKING_CREATED,
    name: TLP_2_0_MARKINGS[tlp].name,
    extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}
