import { ApiDocument, type OpenApiDocument } from '@srs/http';
import { z, type ZodType } from 'zod';
import { statsQuerySchema } from '../query/stats-query';
import { domainsAnswer, metaAnswer, seriesAnswer, summaryAnswer, timeToShareAnswer } from './schemas';

const ERROR_TEXT: Record<number, string> = {
  401: 'no valid API key',
  403: 'the key lacks scope `stats`, or is an operator’s: the statistics are for regulator keys',
  429: 'over the key’s rate limit; see Retry-After',
};

const csv = z.string().meta({ description: 'the methodology as leading `#` lines, then a header row and the rows' });

/**
 * The statistics API's OpenAPI 3.1 document, generated from the zod schema
 * its routes parse the query with.
 */
export function openApiDocument(): OpenApiDocument {
  const doc = new ApiDocument({
    title: 'Open Spam Reporting Service: regulator statistics',
    description:
      'Aggregate statistics of spam reports, campaigns and shared indicators for regulators, under disclosure control (a minimum cell and a dominance rule), as JSON or CSV, and live counts with noise.',
  });
  const security = doc.bearerApiKey('A regulator API key with scope `stats` (`npm run -s srs -- regulators create NAME`)');
  const view = (operationId: string, path: string, summary: string, description: string, answer: ZodType, extraErrors: number[] = []) =>
    doc.operation({
      method: 'get',
      path,
      operationId,
      summary,
      description: `${description} JSON, or CSV with \`format=csv\` or \`Accept: text/csv\`. Scope \`stats\`.`,
      security,
      request: { query: statsQuerySchema },
      responses: {
        200: {
          description: 'the figures of the period, widened to whole buckets of the grain',
          content: { 'application/json': { schema: answer }, 'text/csv': { schema: csv } },
        },
        ...doc.errors([400, 401, 403, 429, ...extraErrors], ERROR_TEXT),
      },
    });

  for (const measure of ['reports', 'campaigns', 'indicators'] as const) {
    view(
      `get${measure[0]!.toUpperCase()}${measure.slice(1)}Series`,
      `/v1/stats/${measure}`,
      `${measure[0]!.toUpperCase()}${measure.slice(1)} over time`,
      `A series of ${measure} per bucket, in total and by one breakdown (\`by\`, as /v1/stats/meta lists them).`,
      seriesAnswer,
    );
  }
  view('getDomains', '/v1/stats/domains', 'The most reported domains and TLDs', 'Up to `limit` domains and their TLDs.', domainsAnswer);
  view(
    'getTimeToShare',
    '/v1/stats/time-to-share',
    'Time from first report to shared indicator',
    'Median and 90th percentile per bucket and overall; not by country.',
    timeToShareAnswer,
  );
  view(
    'getSummary',
    '/v1/stats/summary',
    'The period in figures',
    'Reports, spam, link and shortener shares, campaigns, indicators, time to share.',
    summaryAnswer,
  );
  doc.operation({
    method: 'get',
    path: '/v1/stats/meta',
    operationId: 'getStatsMeta',
    summary: 'What can be asked',
    description: 'Rules, grains, breakdowns and the values of each filter, and the first and last bucket. Scope `stats`.',
    security,
    responses: {
      200: { description: 'the options', content: { 'application/json': { schema: metaAnswer } } },
      ...doc.errors([401, 403, 429], ERROR_TEXT),
    },
  });
  doc.operation({
    method: 'get',
    path: '/v1/stats/methodology',
    operationId: 'getMethodology',
    summary: 'How the figures are made',
    description: 'The methodology note the CSV downloads carry, as Markdown. Scope `stats`.',
    security,
    responses: {
      200: { description: 'the note', content: { 'text/markdown': { schema: z.string() } } },
      ...doc.errors([401, 403, 429], ERROR_TEXT),
    },
  });
  doc.operation({
    method: 'get',
    path: '/v1/stats/live',
    operationId: 'streamLiveCounts',
    summary: 'Reports per minute, live',
    description:
      'Server-Sent Events: an event `counts` at once, then one per interval, its id the last minute, its data a JSON object `{minutes: [date-time], total: {values: [number]}, series: [{key, label, values: [number]}], epsilon}`: reports per minute in total and by category, each count with keyed discrete-Laplace noise (`epsilon` per report). Scope `stats`.',
    security,
    responses: {
      200: {
        description: 'text/event-stream of `counts` events',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...doc.errors([401, 403, 429, 503], { ...ERROR_TEXT, 503: 'too many live streams are open; retry shortly' }),
    },
  });
  return doc.generate();
}
