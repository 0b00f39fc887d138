import { el } from '@srs/browser-kit';
import { percent, when } from './format';
import type { LookupIndicator } from './lookup-types';

type Point = LookupIndicator['history'][number];

/** One line per point, saying what changed since the one before. */
function describe(point: Point, before: Point | undefined): string {
  const at = when(point.at);
  if (!before) return `${at}: ${point.shared ? 'shared' : 'recorded, not shared'} at ${percent(point.confidence)}`;
  if (point.shared !== before.shared)
    return point.shared
      ? `${at}: shared again at ${percent(point.confidence)}`
      : `${at}: withdrawn (${point.status}) at ${percent(point.confidence)}`;
  if (point.status !== before.status) return `${at}: ${point.status} at ${percent(point.confidence)}`;
  return `${at}: confidence ${percent(before.confidence)} → ${percent(point.confidence)}`;
}

/**
 * An indicator's history as the portal shows it: a line saying when it was
 * first shared and how its confidence stands, which opens (a native
 * details element: keyboard and screen readers know it) on every change.
 */
export function historyDetails(history: LookupIndicator['history']): HTMLElement {
  if (history.length === 0) return el('span', 'No history kept', 'muted');
  const first = history[0]!;
  const last = history[history.length - 1]!;
  const details = el('details', '', 'history');
  const summary = el(
    'summary',
    `${history.length === 1 ? 'One point' : `${history.length} changes`} since ${when(first.at)}; now ${percent(last.confidence)}`,
  );
  const list = el('ol');
  list.append(...history.map((point, i) => el('li', describe(point, history[i - 1]))));
  details.append(summary, list);
  return details;
}
