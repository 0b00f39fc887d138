import type { ChartDataset } from 'chart.js';
import type { SeriesLine, TimeSeriesAnswer } from './api-types';
import type { DashboardChartType } from './chart-setup';
import { countryName } from './format';

/** Colour-blind safe (mostly Okabe–Ito), each at least 3:1 against white. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#B8860B',
  '#882255',
  '#6A5ACD',
  '#2A9D8F',
  '#8A8A1F',
  '#332288',
  '#666666',
  '#3A8FD0',
] as const;

/**
 * A series as Chart.js draws it, with what the dashboard keeps beside it: the
 * key it came from, which cells were suppressed, and for time to share the
 * seconds behind the scaled values (the tooltips and tests read them).
 */
export type SeriesDataset = ChartDataset<DashboardChartType, Array<number | null>> & {
  label: string;
  key: string;
  suppressed: boolean[];
  seconds?: Array<number | null> | undefined;
};

/** Each key keeps the colour it was first given, so a category looks the same in every chart. */
const colours = new Map<string, string>();

export function colourFor(key: string): string {
  let colour = colours.get(key);
  if (colour === undefined) {
    colour = PALETTE[colours.size % PALETTE.length] as string;
    colours.set(key, colour);
  }
  return colour;
}

/** A legend label: countries by name, keys such as not_spam in words; labels the API chose stay. */
function seriesLabel(series: SeriesLine): string {
  if (series.label && series.label !== series.key) return series.label;
  if (series.key === 'pending') return 'pending analysis';
  if (/^[A-Z]{2}$/.test(series.key)) return countryName(series.key);
  return String(series.key).replace(/_/g, ' ');
}

export function seriesDataset(series: SeriesLine, type: DashboardChartType, extra?: Partial<SeriesDataset>): SeriesDataset {
  const colour = colourFor(series.key);
  const base: SeriesDataset = {
    label: seriesLabel(series),
    key: series.key,
    data: series.values.slice(),
    backgroundColor: colour,
    borderColor: colour,
    suppressed: series.suppressed || [],
  };
  if (type === 'line')
    Object.assign(base, { spanGaps: false, pointRadius: 2, pointHoverRadius: 4, borderWidth: 2, tension: 0, fill: false });
  else Object.assign(base, { borderWidth: 0, maxBarThickness: 48 });
  return Object.assign(base, extra || {});
}

/** Series of a time-series answer as datasets: the breakdown's series, or the total when there is none. */
export function timeSeriesDatasets(answer: TimeSeriesAnswer, type: DashboardChartType, totalLabel: string): SeriesDataset[] {
  const series: SeriesLine[] =
    Array.isArray(answer.series) && answer.series.length && answer.by && answer.by !== 'none'
      ? answer.series
      : [{ key: '__total', label: totalLabel, values: answer.total.values, suppressed: answer.total.suppressed }];
  return series.map((s) => seriesDataset(s, type));
}

/** The buckets whose value is suppressed. */
export function suppressedIndices(values: ReadonlyArray<number | null> | undefined): number[] {
  const out: number[] = [];
  (values || []).forEach((v, i) => {
    if (v === null) out.push(i);
  });
  return out;
}

/** How many cells of these datasets are suppressed. */
export function countSuppressed(datasets: ReadonlyArray<{ data: ReadonlyArray<number | null> }>): number {
  return datasets.reduce((n, d) => n + d.data.filter((v) => v === null).length, 0);
}
