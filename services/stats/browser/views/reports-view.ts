import { get } from '@srs/browser-kit';
import type { TimeSeriesAnswer } from '../api-types';
import { cardOf } from '../cards';
import { countSuppressed, suppressedIndices, timeSeriesDatasets } from '../chart-datasets';
import { describe, suppressionNote } from '../chart-notes';
import { drawnChart, setSuppressedBands } from '../chart-setup';
import { bucketLabel } from '../dates';
import type { Filters } from '../filters';
import { humanise, NUMBER } from '../format';
import { metaRules } from '../meta';
import { timeSeriesTable } from '../tables';

/** Reports over time, by the chosen breakdown; the legend only when there is more than one series. */
export function renderReports(answer: TimeSeriesAnswer, f: Filters): void {
  const chart = drawnChart('chart-reports');
  const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
  const datasets = timeSeriesDatasets(answer, 'bar', 'Reports');
  chart.data.labels = labels;
  chart.data.datasets = datasets;
  setSuppressedBands(chart, suppressedIndices(answer.total.values));
  chart.options.plugins!.legend!.display = datasets.length > 1;
  chart.update();
  const card = cardOf('reports');
  const by = answer.by && answer.by !== 'none' ? `, by ${humanise(answer.by).toLowerCase()}` : '';
  const total = answer.total.published_sum;
  const largest =
    datasets.length > 1
      ? datasets.map((d): [string, number] => [d.label, d.data.reduce<number>((a, v) => a + (v || 0), 0)]).sort((a, b) => b[1] - a[1])[0]
      : null;
  describe(
    get('#chart-reports'),
    `Stacked bar chart of reports per ${answer.grain}${by}, ${f.from} to ${f.to}. ${NUMBER.format(total)} reports in published cells` +
      (largest ? `; the largest series is ${largest[0]} with ${NUMBER.format(largest[1])}` : '') +
      `. ${answer.total.suppressed_cells || 0} periods suppressed. The table below lists every value.`,
  );
  get('[data-note]', card).textContent = suppressionNote(answer.rules || metaRules(), 'reports', countSuppressed(datasets));
  timeSeriesTable(card, `Reports per ${answer.grain}${by}`, labels, datasets);
}
