import { el, get, toCsv } from '@srs/browser-kit';
import { campaignLink, cell, verdictText, when } from './format';
import type { RecentCampaign, RecentCampaigns } from './now-types';

const SVG = 'http://www.w3.org/2000/svg';

const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The sparkline of reports per hour; the same figures are written beside it, so it is hidden from screen readers. */
function sparkline(hourly: number[]): SVGSVGElement {
  const width = 96;
  const height = 24;
  const max = Math.max(1, ...hourly);
  const step = hourly.length > 1 ? width / (hourly.length - 1) : width;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('sparkline');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute(
    'points',
    hourly.map((n, i) => `${(i * step).toFixed(1)},${(height - 2 - (n / max) * (height - 4)).toFixed(1)}`).join(' '),
  );
  svg.append(line);
  return svg;
}

function row(c: RecentCampaign, growthHours: number): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.id = c.id;
  const th = el('th');
  th.scope = 'row';
  th.append(campaignLink(c.id, c.category), el('span', c.sample_text ?? 'Sample text not shared yet (too few reporters)', 'sample'));
  if (c.sample_text === null) th.lastElementChild!.classList.add('muted');
  tr.append(th);
  tr.append(cell('Verdict', verdictText(c)));
  tr.append(cell('Reporters', String(c.reporters), 'num'));
  tr.append(cell('Operators', String(c.operators), 'num'));
  tr.append(cell('Your network', c.own_network ? 'Reported' : 'No'));
  tr.append(cell('First seen', when(c.first_seen)));
  tr.append(cell('Last seen', when(c.last_seen)));
  const trend = el('div', '', 'trend');
  const recent = total(c.hourly.slice(-growthHours));
  trend.append(
    sparkline(c.hourly),
    el('span', `${total(c.hourly)} reports; ${recent} in the last ${growthHours} h (${signed(c.growth)})`, 'trend__text'),
  );
  tr.append(cell('Reports per hour', trend));
  return tr;
}

export type NowFilter = 'all' | 'own';

/** The campaigns the filter keeps: all of the consortium's, or those the operator's own subscribers reported. */
export const filterNow = (answer: RecentCampaigns, filter: NowFilter): RecentCampaigns =>
  filter === 'own' ? { ...answer, data: answer.data.filter((c) => c.own_network) } : answer;

/** Draws the list the filter keeps; the empty state says which list is empty. */
export function drawNow(all: RecentCampaigns, filter: NowFilter): void {
  const answer = filterNow(all, filter);
  const body = get<HTMLTableSectionElement>('#now-rows');
  body.replaceChildren(...answer.data.map((c) => row(c, answer.growth_hours)));
  const empty = answer.data.length === 0;
  get('#now-table-wrap').hidden = empty;
  get('#now-empty').hidden = !empty;
  get('#now-empty').textContent =
    filter === 'own' && all.data.length > 0
      ? `None of the ${all.data.length} campaigns of the last 24 hours was reported on your network.`
      : 'No campaign was reported in the last 24 hours.';
  get<HTMLButtonElement>('#now-csv').disabled = empty;
  const where = filter === 'own' ? ' reported on your network' : '';
  get('#now-count').textContent = empty
    ? ''
    : `${answer.data.length} campaign${answer.data.length === 1 ? '' : 's'}${where}, fastest growing first (reports in the last ${answer.growth_hours} h against the ${answer.growth_hours} h before).`;
}

/** The list as CSV: every column the table shows, and each hour's count. */
export function nowCsv(answer: RecentCampaigns): string {
  const hours = Array.from({ length: answer.hours }, (_, i) => `reports_h${i - answer.hours + 1}`);
  return toCsv(
    [
      'id',
      'category',
      'spam',
      'probability',
      'sample_text',
      'reporters',
      'operators',
      'own_network',
      'first_seen',
      'last_seen',
      'growth',
      ...hours,
    ],
    answer.data.map((c) => [
      c.id,
      c.category,
      c.spam,
      c.probability,
      c.sample_text,
      c.reporters,
      c.operators,
      c.own_network,
      c.first_seen,
      c.last_seen,
      c.growth,
      ...c.hourly,
    ]),
  );
}
