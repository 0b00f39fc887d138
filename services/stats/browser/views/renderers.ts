import type { DomainsAnswer, SummaryAnswer, TimeSeriesAnswer, TimeToShareAnswer } from '../api-types';
import type { ViewName } from '../cards';
import type { Filters } from '../filters';
import { renderCampaigns, renderIndicators } from './category-series-view';
import { renderDomains } from './domains-view';
import { renderReports } from './reports-view';
import { renderSummary } from './summary-view';
import { renderTimeToShare } from './time-to-share-view';

/** The API's answer to each view's request. */
export interface AnswerOf {
  summary: SummaryAnswer;
  reports: TimeSeriesAnswer;
  campaigns: TimeSeriesAnswer;
  indicators: TimeSeriesAnswer;
  domains: DomainsAnswer;
  'time-to-share': TimeToShareAnswer;
}

export type Renderers = { [V in ViewName]: (answer: AnswerOf[V], f: Filters) => void };

/** What draws each view's answer into its card. */
export const renderers: Renderers = {
  summary: renderSummary,
  reports: renderReports,
  campaigns: renderCampaigns,
  indicators: renderIndicators,
  domains: renderDomains,
  'time-to-share': renderTimeToShare,
};
