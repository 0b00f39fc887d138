import { get } from '@srs/browser-kit';
import type { SummaryAnswer } from '../api-types';
import type { Filters } from '../filters';
import { formatCount, formatDuration, formatShare } from '../format';

type Tile = Exclude<keyof SummaryAnswer, 'complete'>;

/** The "At a glance" tiles. */
export function renderSummary(answer: SummaryAnswer, f: Filters): void {
  const tiles: Record<Tile, string> = {
    reports: formatCount(answer.reports),
    not_spam_share: formatShare(answer.not_spam_share),
    link_share: formatShare(answer.link_share),
    shortener_share: formatShare(answer.shortener_share),
    campaigns: formatCount(answer.campaigns),
    indicators_shared: formatCount(answer.indicators_shared),
    median_seconds_to_share: formatDuration(answer.median_seconds_to_share),
    p90_seconds_to_share: formatDuration(answer.p90_seconds_to_share),
  };
  // Campaigns and indicators have no sender country: filtered by one, the API leaves them out.
  if (f.country) {
    if (answer.campaigns === null) tiles.campaigns = 'not by country';
    if (answer.indicators_shared === null) tiles.indicators_shared = 'not by country';
  }
  for (const [name, text] of Object.entries(tiles) as Array<[Tile, string]>) {
    const dd = get(`[data-tile="${name}"]`);
    dd.textContent = text;
    dd.classList.toggle('tile__value--muted', answer[name] === null || answer[name] === undefined);
  }
  const notes: string[] = [];
  if (answer.complete === false)
    notes.push('Some cells of this period are suppressed, so these totals leave them out: they are lower bounds.');
  if (f.country) notes.push('Campaigns and shared indicators are not kept by sender country; time to share counts every country.');
  get('#summary-note').textContent = notes.join(' ');
}
