import type { Chart, ChartType } from 'chart.js';

/*
 * Chart.js comes as its browser bundle (vendor/chart.umd.js, loaded before
 * the dashboard's script), which sets the global `Chart` with every chart
 * type and plugin registered; only its types are imported here, so the
 * bundle is not built into the dashboard's.
 */

declare global {
  var Chart: typeof import('chart.js').Chart | undefined;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a declaration merged with Chart.js's must repeat its type parameter
  interface PluginOptionsByType<TType extends ChartType> {
    /** Buckets whose whole total is suppressed, drawn as grey bands (see suppressed-bands.ts). */
    suppressedBands: { indices: number[] };
  }
}

export type ChartJs = typeof Chart;

export function chartJsLoaded(): boolean {
  return typeof globalThis.Chart !== 'undefined';
}

/** The library; main checks chartJsLoaded before anything draws. */
export function chartJs(): ChartJs {
  const library = globalThis.Chart;
  if (!library) throw new Error('Chart.js is not loaded');
  return library;
}
