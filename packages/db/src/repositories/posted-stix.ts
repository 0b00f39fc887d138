import type { PoolClient } from '../pool';

/** A STIX object as an operator POSTed it over TAXII, with the timestamps it versions by. */
export interface PostedStix {
  object: Record<string, unknown>;
  created: string;
  modified: string;
}

/**
 * The version a published indicator is served at: its posted object's
 * `modified` while no later change was made here, else a version the server
 * made, later than the posted one. Used by TAXII's reads and by the checks below.
 */
export const PUBLISHED_VERSION = `(CASE WHEN p.stix_seq = p.seq THEN p.stix_modified
       ELSE date_trunc('milliseconds', GREATEST(p.created_at, p.updated_at, p.stix_modified + interval '1 millisecond')) END)`;

/**
 * Whether a posted object may become the indicator's next version (STIX 2.1
 * section 3.6): `created` never changes, `modified` only grows, and one
 * version has one content. Returns the reason when it may not, 'unchanged'
 * when this very version is what is held, undefined when it is a new version.
 * The row is locked by the caller.
 */
export async function checkPostedVersion(
  client: PoolClient,
  operatorId: string,
  clientId: string,
  posted: PostedStix,
): Promise<string | undefined> {
  const { rows } = await client.query<{ created: string | null; held: string | null; same: boolean }>(
    `SELECT p.stix_object->>'created' AS created,
            to_char(${PUBLISHED_VERSION} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS held,
            p.stix_seq = p.seq AND p.stix_object = $3::jsonb AS same
       FROM published_indicators p WHERE p.operator_id = $1 AND p.client_id = $2`,
    [operatorId, clientId, JSON.stringify(posted.object)],
  );
  const row = rows[0];
  if (!row?.held) return undefined;
  if (row.created !== null && Date.parse(row.created) !== Date.parse(posted.created))
    return `created: ${posted.created} differs from the created (${row.created}) of the versions held; STIX forbids it to change`;
  if (row.same) return 'unchanged';
  const modified = toMicros(posted.modified);
  if (modified < row.held) return `modified: a later version (${row.held}) is held; a new version needs a later modified`;
  if (modified === row.held) return `modified: version ${posted.modified} is held with other content; a new version needs a later modified`;
  return undefined;
}

/** A UTC timestamp with at most microseconds in the one form PostgreSQL writes above, so strings compare as times do. */
function toMicros(timestamp: string): string {
  const [whole, fraction = ''] = timestamp.replace(/Z$/, '').split('.');
  return `${whole}.${fraction.padEnd(6, '0')}Z`;
}

/** Stores the posted object as the version the change just made (the row's current seq). */
export async function keepPosted(client: PoolClient, id: string, posted: PostedStix): Promise<void> {
  await client.query(`UPDATE published_indicators SET stix_object = $2::jsonb, stix_modified = $3, stix_seq = seq WHERE id = $1`, [
    id,
    JSON.stringify(posted.object),
    posted.modified,
  ]);
}
