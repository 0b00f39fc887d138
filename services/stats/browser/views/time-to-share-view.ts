import { get } from '@srs/browser-kit';
import type { TooltipItem } from 'chart.js';
import type { TimeToShareAnswer } from '../api-types';
import { cardOf } from '../cards';
import { PALETTE, seriesDataset, type SeriesDataset } from '../chart-datasets';
import { describe } from '../chart-notes';
import { drawnChart, type DashboardChartType } from '../chart-setup';
import { bucketLabel } from '../dates';
import type { Filters } from '../filters';
import { formatDuration } from '../format';
import { timeSeriesTable } from '../tables';

/**
 * The options this view changes, all of which baseOptions gave the chart:
 * Chart.js types each as optional and the y axis as any kind of scale.
 */
interface TimeToShareOptions {
  scales: { y: { title: { display: boolean; text: string }; ticks: { precision?: number | undefined } } };
  plugins: {
    legend: { labels: { usePointStyle?: boolean } };
    tooltip: { callbacks: { label: (ctx: TooltipItem<DashboardChartType>) => string } };
  };
}

/** A unit the longest time reads well in, and its length in seconds. */
function durationUnit(max: number): [string, number] {
  if (max >= 2 * 86400) return ['days', 86400];
  if (max >= 2 * 3600) return ['hours', 3600];
  if (max >= 120) return ['minutes', 60];
  return ['seconds', 1];
}

/**
 * Median and 90th percentile time to share. The axis is scaled to one unit;
 * each dataset keeps the seconds, which its tooltips and table show exactly.
 */
export function renderTimeToShare(answer: TimeToShareAnswer, f: Filters): void {
  const chart = drawnChart('chart-time-to-share');
  const values = [...(answer.median_seconds || []), ...(answer.p90_seconds || [])].filter((v) => v !== null && v !== undefined);
  const max = values.length ? Math.max(...values) : 0;
  const unit = durationUnit(max);
  const scaled = (list: Array<number | null> | undefined) =>
    (list || []).map((v) => (v === null || v === undefined ? null : Math.round((v / unit[1]) * 100) / 100));
  const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
  const median = seriesDataset({ key: '__median', label: 'Median', values: scaled(answer.median_seconds) }, 'line', {
    borderColor: PALETTE[0],
    backgroundColor: PALETTE[0],
    pointStyle: 'circle',
  });
  const p90 = seriesDataset({ key: '__p90', label: '90th percentile', values: scaled(answer.p90_seconds) }, 'line', {
    borderColor: PALETTE[1],
    backgroundColor: PALETTE[1],
    borderDash: [6, 4],
    pointStyle: 'rect',
  });
  median.seconds = answer.median_seconds;
  p90.seconds = answer.p90_seconds;
  chart.data.labels = labels;
  chart.data.datasets = [median, p90];
  const { scales, plugins } = chart.options as unknown as TimeToShareOptions;
  scales.y.title = { display: true, text: unit[0] };
  plugins.legend.labels.usePointStyle = true;
  scales.y.ticks.precision = undefined;
  plugins.tooltip.callbacks.label = (ctx) =>
    `${ctx.dataset.label}: ${formatDuration((ctx.dataset as SeriesDataset).seconds?.[ctx.dataIndex])}`;
  chart.update();
  const overall = answer.overall || { median_seconds: null, p90_seconds: null };
  const card = cardOf('time-to-share');
  const overallText = `Over the period: median ${formatDuration(overall.median_seconds)}, 90th percentile ${formatDuration(overall.p90_seconds)}.`;
  describe(
    get('#chart-time-to-share'),
    `Line chart of the time from an indicator's first report to its sharing, per ${answer.grain}, ${f.from} to ${f.to}. ${overallText} The table below lists every value.`,
  );
  const notes = [overallText];
  if (f.grain === 'hour') notes.push('Time to share is kept per day, so it is shown by day.');
  if (values.length < (answer.median_seconds || []).length * 2) notes.push('Periods with too few shared indicators are left as gaps.');
  get('[data-note]', card).textContent = notes.join(' ');
  timeSeriesTable(
    card,
    `Time to share per ${answer.grain}`,
    labels,
    [
      { label: 'Median', data: answer.median_seconds || [] },
      { label: '90th percentile', data: answer.p90_seconds || [] },
    ],
    formatDuration,
  );
}
