import { z } from 'zod';

/** The shapes the statistics API answers with (src/views), for its OpenAPI document. */
const rules = z
  .object({ min_cell: z.number().int(), dominance_percent: z.number().int() })
  .meta({ id: 'DisclosureRules', description: 'the disclosure control the figures passed' });
const filters = z.object({ category: z.string().nullable(), country: z.string().nullable() });
const cell = z.number().nullable().meta({ description: 'null: suppressed by disclosure control, or its bucket not complete yet' });

const seriesLine = z.object({
  values: z.array(cell),
  suppressed: z.array(z.boolean()),
  published_sum: z
    .number()
    .meta({ description: 'the sum of the published cells: a lower bound when any is suppressed or not yet complete' }),
  suppressed_cells: z.number().int(),
});

export const seriesAnswer = z
  .object({
    measure: z.enum(['reports', 'campaigns', 'indicators']),
    grain: z.enum(['hour', 'day', 'week']),
    by: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    filters,
    buckets: z.array(z.iso.datetime()),
    complete_until: z.iso
      .datetime()
      .meta({ description: 'buckets ending after this are not complete yet: null, and not counted as suppressed' }),
    total: seriesLine,
    series: z.array(seriesLine.extend({ key: z.string(), label: z.string() })),
    rules,
  })
  .meta({ id: 'Series' });

export const domainsAnswer = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    filters,
    domains: z.array(z.object({ domain: z.string(), tld: z.string(), reports: z.number().int() })),
    tlds: z.array(z.object({ tld: z.string(), reports: z.number().int() })),
    rules,
  })
  .meta({ id: 'Domains' });

export const timeToShareAnswer = z
  .object({
    grain: z.enum(['hour', 'day', 'week']),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    filters: z.object({ category: z.string().nullable() }),
    buckets: z.array(z.iso.datetime()),
    median_seconds: z.array(cell),
    p90_seconds: z.array(cell),
    overall: z.object({ median_seconds: z.number().nullable(), p90_seconds: z.number().nullable() }),
    rules,
  })
  .meta({ id: 'TimeToShare' });

export const summaryAnswer = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    filters,
    reports: z.number().int(),
    spam_reports: z.number().int(),
    not_spam_share: z.number().nullable(),
    link_share: z.number().nullable(),
    shortener_share: z.number().nullable(),
    campaigns: z.number().int().nullable().meta({ description: 'null where the measure has no such filter (no country)' }),
    indicators_shared: z.number().int().nullable(),
    median_seconds_to_share: z.number().nullable(),
    p90_seconds_to_share: z.number().nullable(),
    complete: z.boolean().meta({ description: 'false when any figure leaves out suppressed cells' }),
  })
  .meta({ id: 'Summary' });

export const metaAnswer = z
  .object({
    time_zone: z.literal('UTC'),
    rules,
    grains: z.array(z.enum(['hour', 'day', 'week'])),
    breakdowns: z.record(z.string(), z.array(z.string())).meta({ description: 'the `by` values each measure accepts' }),
    categories: z.array(z.string()),
    countries: z.array(z.string()),
    operators: z.array(z.object({ id: z.string(), name: z.string() })),
    sender_types: z.array(z.string()),
    indicator_types: z.array(z.string()),
    link_kinds: z.array(z.string()),
    first_bucket: z.iso.datetime().nullable(),
    last_bucket: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Meta' });
