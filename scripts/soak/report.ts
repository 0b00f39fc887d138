import type { Pool } from '@srs/db';
import type { Delivery } from './load';

export interface SoakCounts {
  /** distinct messages sent (each with its own gateway message id; retries not counted) */
  sent: number;
  /** messages the intake answered 2xx */
  acknowledged: number;
  /** report rows in PostgreSQL for this run's messages */
  stored: number;
  /** rows beyond the first for one message */
  duplicates: number;
  /** acknowledged messages with no row (each is a complete report, and the soak keeps every subscriber under the rate limit) */
  lost: number;
}

export interface SoakDetails {
  /** acknowledged because the intake had seen the id already (a retry of a message whose answer was lost) */
  acknowledgedAsDuplicate: number;
  /** still not acknowledged when the retry period ended */
  neverAcknowledged: number;
  /** answered 4xx (not 429): never to be accepted */
  rejected: number;
  /** stored although never acknowledged (allowed: at least once) */
  storedNotAcknowledged: number;
  /** rows whose gateway message id differs from the id in their text */
  mismatched: number;
  /** attempts beyond the first, over all messages */
  retries: number;
  lostIds: string[];
  duplicateIds: string[];
}

/** Rows of this run's messages, by the message id each text carries. */
export async function storedRows(pool: Pool, runId: string): Promise<{ byId: Map<string, number>; mismatched: number }> {
  const { rows } = await pool.query<{ id: string; tag: string | null }>(
    String.raw`SELECT gateway_message_id AS id, substring(body from '\[(soak-[^\]]+)\]') AS tag
       FROM reports WHERE gateway_message_id LIKE $1 OR body LIKE $2`,
    [`soak-${runId}-%`, `%[soak-${runId}-%`],
  );
  const byId = new Map<string, number>();
  let mismatched = 0;
  for (const row of rows) {
    const id = row.tag ?? row.id;
    if (row.tag !== row.id) mismatched++;
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return { byId, mismatched };
}

export function count(
  deliveries: Delivery[],
  stored: { byId: Map<string, number>; mismatched: number },
): { counts: SoakCounts; details: SoakDetails } {
  const acknowledged = deliveries.filter((d) => d.outcome !== undefined);
  const lostIds = acknowledged.filter((d) => !stored.byId.has(d.id)).map((d) => d.id);
  const duplicateIds = [...stored.byId].filter(([, n]) => n > 1).map(([id]) => id);
  const acknowledgedIds = new Set(acknowledged.map((d) => d.id));
  return {
    counts: {
      sent: deliveries.length,
      acknowledged: acknowledged.length,
      stored: [...stored.byId.values()].reduce((a, b) => a + b, 0),
      duplicates: [...stored.byId.values()].reduce((a, n) => a + n - 1, 0),
      lost: lostIds.length,
    },
    details: {
      acknowledgedAsDuplicate: acknowledged.filter((d) => d.outcome === 'duplicate').length,
      neverAcknowledged: deliveries.filter((d) => d.outcome === undefined && d.rejected === undefined).length,
      rejected: deliveries.filter((d) => d.rejected !== undefined).length,
      storedNotAcknowledged: [...stored.byId.keys()].filter((id) => !acknowledgedIds.has(id)).length,
      mismatched: stored.mismatched,
      retries: deliveries.reduce((a, d) => a + d.attempts - 1, 0),
      lostIds,
      duplicateIds,
    },
  };
}

/** The human-readable summary; the caller prints the JSON line last. */
export function summaryLines(counts: SoakCounts, details: SoakDetails): string[] {
  const sample = (ids: string[]) => (ids.length ? ` (e.g. ${ids.slice(0, 5).join(', ')})` : '');
  return [
    `sent          ${counts.sent}`,
    `acknowledged  ${counts.acknowledged}  (of which ${details.acknowledgedAsDuplicate} as already seen; ${details.retries} retried attempts in all)`,
    `stored        ${counts.stored}`,
    `duplicates    ${counts.duplicates}${sample(details.duplicateIds)}`,
    `lost          ${counts.lost}${sample(details.lostIds)}`,
    `not acknowledged by the end ${details.neverAcknowledged}, rejected (4xx) ${details.rejected}, stored without acknowledgement ${details.storedNotAcknowledged}, id/text mismatches ${details.mismatched}`,
  ];
}
