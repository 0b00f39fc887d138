import type { Change, ChangeKind } from './change-reader';

/** Which changes a stream or a webhook subscription wants; an absent criterion matches everything. */
export interface ChangeFilter {
  kinds: readonly ChangeKind[];
  indicatorTypes?: readonly string[] | null;
  categories?: readonly string[] | null;
  /** indicators only, as in the feed */
  minConfidence?: number | null;
}

/**
 * The feed's filter semantics: a withdrawal (shared: false) passes the
 * confidence threshold, because a client that blocked the indicator must
 * hear that it no longer should.
 */
export function matchesFilter(filter: ChangeFilter, change: Change): boolean {
  if (!filter.kinds.includes(change.kind)) return false;
  if (filter.categories && !filter.categories.includes(change.row.category)) return false;
  if (change.kind === 'campaign') return true;
  const row = change.row;
  if (filter.indicatorTypes && !filter.indicatorTypes.includes(row.type)) return false;
  if (filter.minConfidence != null && row.shared && row.confidence < filter.minConfidence) return false;
  return true;
}
