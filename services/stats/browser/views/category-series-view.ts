import { get } from '@srs/browser-kit';
import type { TimeSeriesAnswer } from '../api-types';
import { cardOf } from '../cards';
import { countSuppressed, suppressedIndices, timeSeriesDatasets } from '../chart-datasets';
import { describe, suppressionNote } from '../chart-notes';
import { drawnChart, setSuppressedBands, type ChartId } from '../chart-setup';
import { bucketLabel } from '../dates';
import type { Filters } from '../filters';
import { humanise, NUMBER } from '../format';
import { metaRules } from '../meta';
import { timeSeriesTable } from '../tables';

/** A measure kept by category only (campaigns, indicators): its stacked chart, note and table. */
function renderCategorySeries(
  view: 'campaigns' | 'indicators',
  id: ChartId,
  answer: TimeSeriesAnswer,
  f: Filters,
  totalLabel: string,
  unit: string,
): void {
  const chart = drawnChart(id);
  const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
  const datasets = timeSeriesDatasets(answer, 'bar', totalLabel);
  chart.data.labels = labels;
  chart.data.datasets = datasets;
  setSuppressedBands(chart, suppressedIndices(answer.total.values));
  chart.update();
  const card = cardOf(view);
  describe(
    get(`#${id}`),
    `Stacked bar chart of ${unit} per ${answer.grain} by category, ${f.from} to ${f.to}: ${NUMBER.format(answer.total.published_sum)} in published cells across ${datasets.length} ${datasets.length === 1 ? 'series' : 'categories'}. The table below lists every value.`,
  );
  const notes = [suppressionNote(answer.rules || metaRules(), unit, countSuppressed(datasets))];
  if (f.country) notes.push(`${humanise(unit)} are not kept by sender country: this chart counts every country.`);
  get('[data-note]', card).textContent = notes.join(' ');
  timeSeriesTable(card, `${totalLabel} per ${answer.grain} by category`, labels, datasets);
}

export function renderCampaigns(answer: TimeSeriesAnswer, f: Filters): void {
  renderCategorySeries('campaigns', 'chart-campaigns', answer, f, 'Campaigns', 'campaigns');
}

export function renderIndicators(answer: TimeSeriesAnswer, f: Filters): void {
  renderCategorySeries('indicators', 'chart-indicators', answer, f, 'Indicators shared', 'indicators');
}
