import type { DisclosureRules, Grain } from '@srs/core';
import type { StatsRepository } from '@srs/db';
import type { SeriesViews } from './series-view';
import { timeToShareView } from './time-to-share-view';

export interface SummaryAnswer {
  from: string;
  to: string;
  filters: { category: string | null; country: string | null };
  reports: number;
  spam_reports: number;
  not_spam_share: number | null;
  link_share: number | null;
  shortener_share: number | null;
  /** null where the measure has no such filter (campaigns and indicators have no country) */
  campaigns: number | null;
  indicators_shared: number | null;
  median_seconds_to_share: number | null;
  p90_seconds_to_share: number | null;
  /** false when any figure above leaves out suppressed cells */
  complete: boolean;
}

/** The period at a glance, added up from the same protected cells the other views publish. */
export async function summaryView(
  views: SeriesViews,
  repository: StatsRepository,
  rules: DisclosureRules,
  query: { from: Date; to: Date; filters: { category?: string; country?: string } },
): Promise<SummaryAnswer> {
  const days = (query.to.getTime() - query.from.getTime()) / 86_400_000;
  const grain: Grain = days <= 400 ? 'day' : 'week';
  const base = { grain, from: query.from, to: query.to, filters: query.filters };
  const categoryOnly = query.filters.country === undefined;
  const [byCategory, byLink, campaigns, indicators, delays] = await Promise.all([
    views.answer({ ...base, measure: 'reports', by: 'category' }),
    views.answer({ ...base, measure: 'reports', by: 'link' }),
    categoryOnly ? views.answer({ ...base, measure: 'campaigns', by: null }) : undefined,
    categoryOnly ? views.answer({ ...base, measure: 'indicators', by: null }) : undefined,
    timeToShareView(repository, rules, { grain, from: query.from, to: query.to, filters: query.filters }),
  ]);
  const total = byCategory.total.published_sum;
  const sum = (answer: typeof byCategory, keys: string[]) =>
    answer.series.filter((s) => keys.includes(s.key)).reduce((n, s) => n + s.published_sum, 0);
  const share = (n: number) => (total > 0 ? Math.round((n / total) * 1000) / 1000 : null);
  const notSpam = sum(byCategory, ['not_spam']);
  const hidden = [byCategory, byLink, campaigns, indicators].some(
    (a) => a && (a.total.suppressed_cells > 0 || a.series.some((s) => s.suppressed_cells > 0)),
  );
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    filters: { category: query.filters.category ?? null, country: query.filters.country ?? null },
    reports: total,
    spam_reports: total - notSpam,
    not_spam_share: share(notSpam),
    link_share: share(sum(byLink, ['link', 'shortener'])),
    shortener_share: share(sum(byLink, ['shortener'])),
    campaigns: campaigns ? campaigns.total.published_sum : null,
    indicators_shared: indicators ? indicators.total.published_sum : null,
    median_seconds_to_share: delays.overall.median_seconds,
    p90_seconds_to_share: delays.overall.p90_seconds,
    complete: !hidden,
  };
}
