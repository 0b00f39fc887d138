import type { SightingHistoryRow } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';

/** One sighting of the operator's feedback history, as GET /v1/sightings and DELETE /v1/sightings/{id} answer it. */
export function sightingJson(ids: SealedIds, row: SightingHistoryRow) {
  return {
    id: row.clientId,
    indicator_id: ids.indicatorId(row.indicatorId),
    type: row.type,
    value: row.value,
    kind: row.kind,
    count: row.count,
    note: row.note,
    observed_at: row.observedAt,
    created_at: row.createdAt,
    revoked_at: row.revokedAt,
    status: row.indicatorStatus,
  };
}
