import type { Chart, ChartOptions, TooltipItem } from 'chart.js';
import { chartJs } from './chart-library';
import { formatCount, formatDuration } from './format';
import { suppressedBands } from './suppressed-bands';

/** The canvases of index.html, each holding one chart. */
export type ChartId =
  'chart-reports' | 'chart-campaigns' | 'chart-indicators' | 'chart-domains' | 'chart-tlds' | 'chart-time-to-share' | 'chart-live';

export type DashboardChartType = 'bar' | 'line';
export type DashboardChart = Chart<DashboardChartType, Array<number | null>, string>;
type Options = ChartOptions<DashboardChartType>;

const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const charts: Partial<Record<ChartId, DashboardChart>> = {};

/** The chart on a canvas, while signed in. */
export function chartOf(id: ChartId): DashboardChart | undefined {
  return charts[id];
}

/** The chart on a canvas, for views drawn only while signed in (when it exists). */
export function drawnChart(id: ChartId): DashboardChart {
  const chart = charts[id];
  if (!chart) throw new Error(`No chart on #${id}`);
  return chart;
}

export function setupChartDefaults(): void {
  const Chart = chartJs();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#374151';
  Chart.defaults.borderColor = '#e5e7eb';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  if (REDUCED_MOTION) Chart.defaults.animation = false;
  Chart.register(suppressedBands);
}

interface BaseOptions {
  stacked?: boolean;
  yTitle?: string | undefined;
  tooltipValue?: (value: number | null) => string;
}

function baseOptions({ stacked = false, yTitle, tooltipValue = formatCount }: BaseOptions = {}) {
  return {
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { stacked, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 }, grid: { display: false } },
      y: { stacked, beginAtZero: true, ticks: { precision: 0 }, title: yTitle ? { display: true, text: yTitle } : { display: false } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
      tooltip: {
        callbacks: {
          label: (ctx: TooltipItem<DashboardChartType>) => `${ctx.dataset.label}: ${tooltipValue(ctx.raw as number | null)}`,
        },
      },
      suppressedBands: { indices: [] as number[] },
    },
  } satisfies Options;
}

/** Bars along the y axis, one colour, no legend: the domain and TLD rankings. */
function horizontalOptions(): Options {
  const base = baseOptions({ yTitle: undefined });
  return {
    ...base,
    indexAxis: 'y',
    interaction: { mode: 'nearest', axis: 'y', intersect: false },
    scales: {
      x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'reports' } },
      y: { grid: { display: false }, ticks: { autoSkip: false } },
    },
    plugins: { ...base.plugins, legend: { display: false } },
  };
}

function makeChart(id: ChartId, type: DashboardChartType, options: Options): DashboardChart {
  const Chart = chartJs();
  const canvas = document.getElementById(id) as HTMLCanvasElement;
  const existing = Chart.getChart(canvas);
  if (existing) existing.destroy();
  const chart: DashboardChart = new Chart(canvas, { type, data: { labels: [], datasets: [] }, options });
  charts[id] = chart;
  return chart;
}

export function createCharts(): void {
  makeChart('chart-reports', 'bar', baseOptions({ stacked: true, yTitle: 'reports' }));
  makeChart('chart-campaigns', 'bar', baseOptions({ stacked: true, yTitle: 'campaigns' }));
  makeChart('chart-indicators', 'bar', baseOptions({ stacked: true, yTitle: 'indicators' }));
  makeChart('chart-domains', 'bar', horizontalOptions());
  makeChart('chart-tlds', 'bar', horizontalOptions());
  makeChart('chart-time-to-share', 'line', baseOptions({ yTitle: 'time', tooltipValue: formatDuration }));
  const live = baseOptions({ stacked: true, yTitle: 'reports / min' });
  const x = { ...live.scales.x, ticks: { ...live.scales.x.ticks, maxTicksLimit: 7 } };
  makeChart('chart-live', 'bar', { ...live, animation: false, scales: { ...live.scales, x } });
}

export function destroyCharts(): void {
  for (const id of Object.keys(charts) as ChartId[]) {
    charts[id]?.destroy();
    delete charts[id];
  }
}

/** Grey bands behind these buckets; every chart has the plugin's options from baseOptions. */
export function setSuppressedBands(chart: DashboardChart, indices: number[]): void {
  chart.options.plugins!.suppressedBands!.indices = indices;
}
