import { z } from 'zod';
import { lookupIndicator, recentCampaign } from './schemas';

const campaignIndicator = lookupIndicator
  .omit({ source: true, tlp: true })
  .extend({
    stix_id: z.string().meta({ description: 'the indicator’s STIX id, as TAXII serves it' }),
    reporters: z.number().int(),
    operators: z.number().int(),
  })
  .meta({ id: 'CampaignIndicator' });

export const campaignPage = recentCampaign
  .omit({ hourly: true, growth: true })
  .extend({
    verdict_terms: z
      .record(z.string(), z.number())
      .nullable()
      .meta({ description: 'each term of the verdict’s log-odds (docs/INTELLIGENCE.md); null before its first verdict' }),
    language: z.string(),
    reports: z.number().int(),
    updated_at: z.iso.datetime(),
    taxii: z
      .object({
        collection_id: z.string(),
        object_path: z.string().meta({ description: 'the same object over TAXII 2.1, relative to this server' }),
      })
      .meta({ description: 'where a TAXII client reads this campaign' }),
    indicators: z.array(campaignIndicator).meta({ description: 'its indicators the feed has shared, shared ones first' }),
    timeline: z
      .object({
        grain: z.enum(['hour', 'day']).meta({ description: 'by the hour up to two days, else by the day (at most the last 14)' }),
        other_operators: z.number().int().meta({ description: 'how many other operators reported it; never which' }),
        buckets: z.array(
          z.object({
            start: z.iso.datetime(),
            own: z.number().int().meta({ description: 'reports from the key’s own network' }),
            others: z.number().int().meta({ description: 'reports from every other operator, summed' }),
          }),
        ),
      })
      .meta({ description: 'its reports over time, oldest first, every bucket present' }),
    related: z
      .array(
        recentCampaign
          .pick({ id: true, category: true, spam: true, probability: true, reporters: true, operators: true, last_seen: true })
          .extend({ shared_indicators: z.number().int().meta({ description: 'how many shared indicators the two have in common' }) }),
      )
      .meta({ description: 'shared campaigns holding some of the same shared indicators, most in common first' }),
  })
  .meta({ id: 'CampaignDetail' });

export const portalSession = z
  .object({
    operator: z.object({ id: z.string(), name: z.string(), country: z.string().nullable() }),
    key: z.object({
      prefix: z.string().meta({ description: 'the key’s public prefix; never the key' }),
      scopes: z.array(z.string()),
    }),
  })
  .meta({ id: 'PortalSession' });
