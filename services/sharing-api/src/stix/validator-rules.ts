/**
 * The checks of the OASIS stix2-validator (cti-stix-validator, stix2validator/v21
 * musts.py and shoulds.py, default options) that apply to the object types this
 * server emits, written out because the validator itself is Python. An object
 * a client POSTs is served as sent, so it must pass them to be taken; the tests
 * run them on every object served, with the JSON schemas
 * (test/taxii-stix-schemas.ts). Each finding is named by the validator's own check code.
 */

/** Properties STIX 2.1 defines for each type served; anything else is a custom property (check custom-prefix). */
const COMMON = ['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'revoked', 'labels', 'confidence', 'lang'];
const MARKINGS = ['external_references', 'object_marking_refs', 'granular_markings', 'extensions'];
const PROPERTIES: Record<string, readonly string[]> = {
  indicator: [
    ...COMMON,
    ...MARKINGS,
    'name',
    'description',
    'indicator_types',
    'pattern',
    'pattern_type',
    'pattern_version',
    'valid_from',
    'valid_until',
    'kill_chain_phases',
  ],
  campaign: [...COMMON, ...MARKINGS, 'name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective'],
  identity: [...COMMON, ...MARKINGS, 'name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  sighting: [
    ...COMMON,
    ...MARKINGS,
    'description',
    'first_seen',
    'last_seen',
    'count',
    'sighting_of_ref',
    'observed_data_refs',
    'where_sighted_refs',
    'summary',
  ],
  'marking-definition': ['type', 'spec_version', 'id', 'created', 'created_by_ref', 'name', 'definition_type', 'definition', ...MARKINGS],
  'extension-definition': [...COMMON, ...MARKINGS, 'name', 'description', 'schema', 'version', 'extension_types', 'extension_properties'],
};

/** The open vocabularies of the properties served (STIX 2.1 section 10). */
const VOCABULARIES: Record<string, Record<string, readonly string[]>> = {
  indicator: {
    indicator_types: ['anomalous-activity', 'anonymization', 'benign', 'compromised', 'malicious-activity', 'attribution', 'unknown'],
    pattern_type: ['stix', 'pcre', 'sigma', 'snort', 'suricata', 'yara'],
  },
  identity: {
    identity_class: ['individual', 'group', 'system', 'organization', 'class', 'unknown'],
    sectors: [
      'agriculture',
      'aerospace',
      'automotive',
      'chemical',
      'commercial',
      'communications',
      'construction',
      'defense',
      'education',
      'energy',
      'entertainment',
      'financial-services',
      'government',
      'emergency-services',
      'government-local',
      'government-national',
      'government-public-services',
      'government-regional',
      'healthcare',
      'hospitality-leisure',
      'infrastructure',
      'dams',
      'nuclear',
      'water',
      'insurance',
      'manufacturing',
      'mining',
      'non-profit',
      'pharmaceuticals',
      'retail',
      'technology',
      'telecommunications',
      'transportation',
      'utilities',
    ],
  },
};

const TIMESTAMP = /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

type Stix = { type?: unknown; id?: unknown; [property: string]: unknown };

/** The validator's findings for one object: `<check code>: <what>`; none when it would pass with no error and no warning. */
export function validatorFindings(object: Stix): string[] {
  const findings: string[] = [];
  const type = String(object.type);
  const id = String(object.id);

  // uuid-check: SDOs, SROs and meta objects use UUIDv4 (RFC 4122 variant); only observables (none served) use v5.
  const uuid = UUID.exec(id.slice(id.indexOf('--') + 2));
  if (!uuid || uuid[3] !== '4' || !'89ab'.includes(uuid[4]!)) findings.push(`uuid-check: ${id} is not a UUIDv4 id`);

  // indicator-properties: indicators SHOULD have both a name and a description.
  if (type === 'indicator' && (!object.name || !object.description))
    findings.push('indicator-properties: both name and description should be present');

  // custom-prefix: a property the specification does not define must be x_<source>_<name>.
  const defined = PROPERTIES[type];
  if (!defined) findings.push(`custom-prefix: ${type} is not a type the validator knows`);
  for (const property of Object.keys(object)) {
    if (defined && !defined.includes(property) && !/^x_.+_.+$/.test(property)) findings.push(`custom-prefix: custom property ${property}`);
  }

  // open-vocab-format and the vocabulary checks (indicator-types, indicator-pattern-types, identity-class, industry-sector).
  for (const [property, vocabulary] of Object.entries(VOCABULARIES[type] ?? {})) {
    if (!(property in object)) continue;
    const values = ([] as unknown[]).concat(object[property]).map(String);
    for (const value of values) {
      if (value !== value.toLowerCase() || /[_ ]/.test(value)) findings.push(`open-vocab-format: ${property} value ${value}`);
      if (!vocabulary.includes(value)) findings.push(`${property}: ${value} is not in its open vocabulary`);
    }
  }

  // extref-hashes: an external reference with a url should carry hashes.
  for (const ref of (object.external_references as Array<Record<string, unknown>> | undefined) ?? []) {
    if (ref.url && !ref.hashes) findings.push('extref-hashes: an external reference has a url but no hashes');
  }

  // MUSTs beyond the schemas: sane timestamps, modified not before created.
  for (const property of ['created', 'modified', 'valid_from', 'valid_until', 'first_seen', 'last_seen']) {
    if (property in object && !TIMESTAMP.test(String(object[property])))
      findings.push(`timestamp: ${property} ${String(object[property])}`);
  }
  if (typeof object.modified === 'string' && typeof object.created === 'string' && Date.parse(object.modified) < Date.parse(object.created))
    findings.push('modified-created: modified is before created');
  if (
    type === 'indicator' &&
    typeof object.valid_until === 'string' &&
    Date.parse(object.valid_until) <= Date.parse(String(object.valid_from))
  )
    findings.push('valid_until must be later than valid_from');
  return findings;
}
