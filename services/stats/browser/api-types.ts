/*
 * The answers of the statistics API as the dashboard reads them: the fields it
 * uses, no more. The API's own types are in src/views and src/routes;
 * test/dashboard-answers.ts checks that they still fit these.
 */

export type Grain = 'hour' | 'day' | 'week';

/** The disclosure rules a figure was published under; null until /meta says. */
export interface DisclosureRules {
  min_cell: number | null;
  dominance_percent: number | null;
}

/** A value in one of /meta's lists: a bare key, or an object naming one. */
export type MetaEntry = string | number | { key?: string; id?: string; code?: string; value?: string; name?: string; label?: string };

export interface MetaAnswer {
  rules?: DisclosureRules;
  grains?: string[];
  categories?: MetaEntry[];
  countries?: MetaEntry[];
}

/** One line of a chart: a category, operator, country… (null: suppressed). */
export interface SeriesLine {
  key: string;
  label?: string;
  values: Array<number | null>;
  suppressed?: boolean[];
}

export interface TimeSeriesAnswer {
  grain: Grain;
  by?: string;
  buckets: string[];
  total: { values: Array<number | null>; suppressed?: boolean[]; published_sum: number; suppressed_cells?: number };
  series?: SeriesLine[];
  rules?: DisclosureRules;
}

export interface SummaryAnswer {
  reports: number | null;
  not_spam_share: number | null;
  link_share: number | null;
  shortener_share: number | null;
  campaigns: number | null;
  indicators_shared: number | null;
  median_seconds_to_share: number | null;
  p90_seconds_to_share: number | null;
  complete?: boolean;
}

export interface DomainsAnswer {
  domains?: Array<{ domain: string; tld: string; reports: number }>;
  tlds?: Array<{ tld: string; reports: number }>;
  rules?: DisclosureRules;
}

export interface TimeToShareAnswer {
  grain: Grain;
  buckets: string[];
  median_seconds?: Array<number | null>;
  p90_seconds?: Array<number | null>;
  overall?: { median_seconds: number | null; p90_seconds: number | null };
}

export interface LiveAnswer {
  minutes?: string[];
  total: { values: number[] };
  series?: Array<{ key: string; label?: string; values: number[] }>;
  epsilon: number;
}
