import type { QueryParams } from './api-client';
import type { ViewName } from './cards';
import { addDays } from './dates';
import type { Filters } from './filters';

/** What a view asks the API for, and the name of its CSV file. */
export interface ViewRequest {
  path: string;
  params: QueryParams;
  file: string;
}

/** What each view asks for under the given filters. */
export function viewRequests(f: Filters): Record<ViewName, ViewRequest> {
  // `to` as the start of the next day, a date-time: exclusive however a plain date would be read
  const period = { from: f.from, to: `${addDays(f.to, 1)}T00:00:00Z` };
  const category = f.category || undefined;
  const country = f.country || undefined;
  const suffix = `${f.from}-${f.to}`;
  // Time to share is kept per day: an hourly view shows it by day.
  const ttsGrain = f.grain === 'hour' ? 'day' : f.grain;
  const byPart = f.by && f.by !== 'none' ? `${f.by}-` : '';
  return {
    summary: { path: '/summary', params: { ...period, category, country }, file: `summary-${suffix}.csv` },
    reports: {
      path: '/reports',
      params: { ...period, grain: f.grain, by: f.by, category, country },
      file: `reports-${byPart}${f.grain}-${suffix}.csv`,
    },
    // campaigns and indicators have no sender country
    campaigns: {
      path: '/campaigns',
      params: { ...period, grain: f.grain, by: 'category', category },
      file: `campaigns-${f.grain}-${suffix}.csv`,
    },
    indicators: {
      path: '/indicators',
      params: { ...period, grain: f.grain, by: 'category', category },
      file: `indicators-${f.grain}-${suffix}.csv`,
    },
    domains: { path: '/domains', params: { ...period, category, country, limit: 20 }, file: `domains-${suffix}.csv` },
    'time-to-share': {
      path: '/time-to-share',
      params: { ...period, grain: ttsGrain, category },
      file: `time-to-share-${ttsGrain}-${suffix}.csv`,
    },
  };
}

/** The requests of the last refresh, by view: a CSV download asks for the same. */
let shown: Partial<Record<ViewName, ViewRequest>> = {};

export function shownRequest(view: ViewName): ViewRequest | undefined {
  return shown[view];
}

export function setShownRequest(view: ViewName, request: ViewRequest): void {
  shown[view] = request;
}

export function forgetShownRequests(): void {
  shown = {};
}
