/** One point of an indicator's history as shared (migration 026). */
export interface IndicatorHistoryPoint {
  at: string;
  confidence: number;
  status: string;
  shared: boolean;
}

/** The most points of one indicator's history a page is given: the latest ones. */
export const HISTORY_POINTS = 50;

/**
 * An indicator's history as shared, oldest first, for the portal: each move of
 * its confidence by a hundredth or more, each change of status, each time it
 * was shared or withdrawn. A LATERAL join on the feed id of an indicator row.
 */
export const indicatorHistory = {
  join: (feedId: string) => `LEFT JOIN LATERAL (
         SELECT COALESCE(json_agg(json_build_object('at', to_char(h.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'confidence', h.confidence, 'status', h.status, 'shared', h.shared)
                                  ORDER BY h.at), '[]'::json) AS history
           FROM (SELECT * FROM indicator_history WHERE indicator_id = ${feedId} ORDER BY at DESC LIMIT ${HISTORY_POINTS}) h) hist ON true`,
  column: 'hist.history',
};
