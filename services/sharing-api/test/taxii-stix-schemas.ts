import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { validatorFindings } from '../src/stix/validator-rules';

/** The OASIS STIX 2.1 JSON schemas, copied into the repository (spec/stix2.1-json-schemas, see its SOURCE-COMMIT). */
export const STIX_SCHEMAS_DIR = path.resolve(__dirname, '../../../spec/stix2.1-json-schemas/schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

const SCHEMA_OF: Record<string, string> = {
  indicator: 'sdos/indicator.json',
  campaign: 'sdos/campaign.json',
  identity: 'sdos/identity.json',
  sighting: 'sros/sighting.json',
  'marking-definition': 'common/marking-definition.json',
  'extension-definition': 'common/extension-definition.json',
};

/**
 * Every schema loaded by its `$id`, as the schemas reference each other.
 * They declare draft 2020-12; some patterns use escapes the `u` flag rejects.
 */
function loadAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  for (const dir of readdirSync(STIX_SCHEMAS_DIR)) {
    for (const file of readdirSync(path.join(STIX_SCHEMAS_DIR, dir)).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(path.join(STIX_SCHEMAS_DIR, dir, file), 'utf8')));
    }
  }
  return ajv;
}

let ajv: Ajv2020 | undefined;

/** The errors of a STIX object against the schema of its type; an unknown type is an error too. */
export function stixErrors(object: { type?: unknown; [property: string]: unknown }): string[] {
  ajv ??= loadAjv();
  const schema = SCHEMA_OF[String(object.type)];
  if (!schema) return [`no schema for type ${String(object.type)}`];
  const validate = ajv.getSchema(BASE + schema) as ValidateFunction | undefined;
  if (!validate) return [`schema ${schema} not loaded`];
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/**
 * A jest matcher body: every object valid against its schema and free of the
 * stix2-validator's errors and warnings (src/stix/validator-rules.ts), or the first
 * failures named with their ids.
 */
export function expectValidStix(objects: ReadonlyArray<{ type?: unknown; id?: unknown }>): void {
  const invalid = objects
    .map((o) => ({ id: o.id, errors: [...stixErrors(o), ...validatorFindings(o)] }))
    .filter((r) => r.errors.length > 0);
  expect(invalid.slice(0, 3)).toEqual([]);
}
