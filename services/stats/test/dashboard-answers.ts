import type * as Dashboard from '../browser/api-types';
import type { DomainsAnswer } from '../src/views/domains-view';
import type { LiveAnswer } from '../src/views/live-view';
import type { SeriesAnswer } from '../src/views/series-view';
import type { SummaryAnswer } from '../src/views/summary-view';
import type { TimeToShareAnswer } from '../src/views/time-to-share-view';

/*
 * The dashboard's browser code has its own types of the API's answers
 * (browser/api-types.ts: it is compiled apart, for the browser). This file is
 * never run: `npm run typecheck` fails here when an answer of the API no
 * longer fits what the dashboard reads.
 */

type Fits<Answer extends Read, Read> = [Answer, Read];

export type DashboardReadsTheApi = [
  Fits<SeriesAnswer, Dashboard.TimeSeriesAnswer>,
  Fits<SummaryAnswer, Dashboard.SummaryAnswer>,
  Fits<DomainsAnswer, Dashboard.DomainsAnswer>,
  Fits<TimeToShareAnswer, Dashboard.TimeToShareAnswer>,
  Fits<LiveAnswer, Dashboard.LiveAnswer>,
];
