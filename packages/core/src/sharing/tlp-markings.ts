import { TLP_LEVELS, type Tlp } from './tlp';

/**
 * TLP 2.0 marking definitions exactly as OASIS publishes them
 * (cti-stix-common-objects, extension-definition-specifications/tlp-2.0):
 * fixed ids every STIX consumer recognises, so they are never minted here.
 */
export const TLP_2_0_MARKINGS: Record<Tlp, { id: string; name: string }> = {
  clear: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR' },
  green: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN' },
  amber: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER' },
  'amber+strict': { id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', name: 'TLP:AMBER+STRICT' },
  red: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED' },
};

/** STIX 2.1's own TLP 1.0 markings, still sent by older producers: read, never written. */
const TLP_1_0: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

export function tlpMarkingRef(tlp: Tlp): string {
  return TLP_2_0_MARKINGS[tlp].id;
}

/** True when `tlp` travels no further than `limit` allows (CLEAR is the widest, RED the narrowest). */
export function tlpWithin(tlp: Tlp, limit: Tlp): boolean {
  return TLP_LEVELS.indexOf(tlp) <= TLP_LEVELS.indexOf(limit);
}

/** The TLP of an object marked with these refs: the most restrictive one when several are given. */
export function tlpOfMarkingRefs(refs: readonly string[]): Tlp | undefined {
  const levels = refs
    .map((ref) => TLP_1_0[ref] ?? TLP_LEVELS.find((tlp) => TLP_2_0_MARKINGS[tlp].id === ref))
    .filter((t): t is Tlp => t !== undefined);
  if (levels.length === 0) return undefined;
  return levels.reduce((a, b) => (TLP_LEVELS.indexOf(b) > TLP_LEVELS.indexOf(a) ? b : a));
}
