import { find, get } from '@srs/browser-kit';
import type { LiveAnswer } from './api-types';
import { cardOf, setCardState } from './cards';
import { seriesDataset } from './chart-datasets';
import { describe } from './chart-notes';
import { chartOf, setSuppressedBands } from './chart-setup';
import { CLOCK_FMT, MINUTE_FMT } from './dates';
import { formatCount, NUMBER } from './format';
import { timeSeriesTable } from './tables';

/** Draws one minute-by-minute answer of the live stream. */
export function renderLive(answer: LiveAnswer): void {
  const chart = chartOf('chart-live');
  if (!chart) return;
  const minutes = answer.minutes || [];
  const labels = minutes.map((m) => MINUTE_FMT.format(new Date(m)));
  const series =
    Array.isArray(answer.series) && answer.series.length
      ? answer.series
      : [{ key: '__total', label: 'Reports', values: answer.total.values }];
  const datasets = series.map((s) => seriesDataset(s, 'bar', { maxBarThickness: 12 }));
  chart.data.labels = labels;
  chart.data.datasets = datasets;
  setSuppressedBands(chart, []);
  chart.update('none');
  const now = new Date();
  const time = get<HTMLTimeElement>('#live-updated');
  time.dateTime = now.toISOString();
  time.textContent = `${CLOCK_FMT.format(now)} UTC`;
  const card = cardOf('live');
  // counted for the browser tests, which wait for updates
  card.dataset.updates = String(Number(card.dataset.updates || 0) + 1);
  setCardState('live', 'ready');
  const totals = (answer.total && answer.total.values) || [];
  const published = totals.reduce((a, v) => a + v, 0);
  const last = totals.length ? totals[totals.length - 1] : null;
  const note = find('[data-live-note]', card);
  if (note) {
    note.textContent =
      published === 0
        ? 'No reports in the last hour.'
        : `Each minute carries random noise (ε = ${answer.epsilon} per report), so no minute is exact; the hourly and daily figures are.`;
  }
  describe(
    get('#chart-live'),
    `Bar chart of reports per minute by category over the last hour, updated ${CLOCK_FMT.format(now)} UTC: about ${NUMBER.format(published)} reports (with noise); last minute ${formatCount(last)}.`,
  );
  // The table follows every update only while it is open; opening it draws it afresh.
  if (get<HTMLDetailsElement>('details', card).open) drawLiveTable();
}

export function drawLiveTable(): void {
  const chart = chartOf('chart-live');
  if (chart) timeSeriesTable(cardOf('live'), 'Reports per minute over the last hour (UTC)', chart.data.labels ?? [], chart.data.datasets);
}
