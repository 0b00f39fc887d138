import { InvalidArgumentError } from 'commander';

/** What the database accepts as an operator or regulator id (the CHECK of their tables). */
const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function participantId(value: string): string {
  if (!ID.test(value)) throw new InvalidArgumentError('lower-case letters, digits and dashes, 2 to 63 characters');
  return value;
}

export function displayName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 200) throw new InvalidArgumentError('a name of 1 to 200 characters');
  return name;
}

export function country(value: string): string {
  const upper = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) throw new InvalidArgumentError('an ISO 3166 two-letter code, e.g. GB');
  return upper;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a whole number above 0');
  return n;
}

export function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a whole number of days');
  return n;
}

/** A name as id: "Demo Mobile UK" → "demo-mobile-uk". */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/** The id given, or one made from the name; a name with no usable letter gets a clear error. */
export function idFromName(id: string | undefined, name: string): string {
  if (id) return id;
  const made = slug(name);
  if (!ID.test(made)) throw new Error(`cannot make an id from the name "${name}"; give one with --id`);
  return made;
}
