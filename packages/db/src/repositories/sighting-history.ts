import type { IndicatorStatus, SightingKind } from '@srs/core';
import type { Pool, PoolClient } from '../pool';
import { publishedVisibleTo } from './published-visibility';

/** One sighting of an operator's feedback history, with the indicator it is about as it stands now. */
export interface SightingHistoryRow {
  /** the row's number: a position to page from, never shown as such */
  rowId: string;
  /** the operator's own id for the sighting (the one it sent, or the one the server made) */
  clientId: string;
  /** `c<n>` or `p<n>` */
  indicatorId: string;
  type: string;
  value: string;
  indicatorStatus: IndicatorStatus;
  kind: SightingKind;
  count: number;
  note: string | null;
  observedAt: Date;
  createdAt: Date;
  /** null while it stands */
  revokedAt: Date | null;
}

export interface SightingHistoryFilter {
  limit: number;
  /** only rows numbered below this one (the page after the one that ended there) */
  beforeRowId?: bigint;
  /** one indicator's (`c<n>` or `p<n>`) */
  indicatorId?: string;
  /** one sighting, by the operator's id for it */
  clientId?: string;
}

/** `c<n>` / `p<n>` as the bigint of its table, NULL for the other table's ids: as TAXII joins them. */
const rowOf = (kind: 'c' | 'p') => `(CASE WHEN s.indicator_id ~ '^${kind}[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)`;

/**
 * One operator's sightings, newest first. Only ever its own (the operator is
 * the first condition), and only of indicators it may still see: a sighting
 * of an indicator its publisher has since made TLP:RED is left out, as the
 * feed leaves the indicator out.
 */
export async function sightingHistory(
  db: Pool | PoolClient,
  operatorId: string,
  filter: SightingHistoryFilter,
): Promise<SightingHistoryRow[]> {
  const { rows } = await db.query<SightingHistoryRow>(
    `SELECT s.id::text AS "rowId", s.client_id AS "clientId", s.indicator_id AS "indicatorId",
            COALESCE(i.type, p.type) AS type, COALESCE(i.value, p.value) AS value, COALESCE(i.status, p.status) AS "indicatorStatus",
            s.kind, s.count, s.note, s.observed_at AS "observedAt", s.created_at AS "createdAt", s.revoked_at AS "revokedAt"
       FROM sightings s
       LEFT JOIN indicators i ON i.id = ${rowOf('c')}
       LEFT JOIN published_indicators p ON p.id = ${rowOf('p')} AND ${publishedVisibleTo('$1', 'p')}
      WHERE s.operator_id = $1 AND (i.id IS NOT NULL OR p.id IS NOT NULL)
        AND ($2::bigint IS NULL OR s.id < $2) AND ($3::text IS NULL OR s.indicator_id = $3) AND ($4::text IS NULL OR s.client_id = $4)
      ORDER BY s.id DESC
      LIMIT $5`,
    [operatorId, filter.beforeRowId?.toString() ?? null, filter.indicatorId ?? null, filter.clientId ?? null, filter.limit],
  );
  return rows;
}
