/** What every STIX 2.1 object this server writes has; the rest depends on its type. */
export interface StixObject {
  type: string;
  spec_version: '2.1';
  id: string;
  created: string;
  modified?: string;
  [property: string]: unknown;
}

/** The version TAXII lists for an object: `modified`, or `created` for objects that have none (marking definitions). */
export function stixVersion(object: StixObject): string {
  return object.modified ?? object.created;
}
