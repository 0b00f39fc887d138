/**
 * Which operators' published indicators a reader sees: every TLP but RED, and
 * its own RED ones. One clause for every surface that serves them (the
 * change feed, the DNS firewall zone), so none can show more than another.
 * `viewer` is the SQL parameter holding the reading operator's id.
 */
export function publishedVisibleTo(viewer: string, table = 'published_indicators'): string {
  return `(${table}.tlp <> 'red' OR ${table}.operator_id = ${viewer})`;
}
