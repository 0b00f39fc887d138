import { INDICATOR_STATUSES, INDICATOR_TYPES, TLP_LEVELS } from '@srs/core';
import { z } from 'zod';

/** The shapes the sharing API answers with, for its OpenAPI document. */
const tlp = z.enum(TLP_LEVELS);
const status = z.enum(INDICATOR_STATUSES);

export const indicatorChange = z
  .object({
    id: z.string().meta({
      description: 'opaque; `c_…`: the consortium’s own, `p_…`: published by an operator. Ids neither order nor count indicators',
      example: 'c_tXbVY2i3Od1tZb5X0GLc8w',
    }),
    seq: z
      .string()
      .meta({ description: 'opaque position of this change: the feed cursor just past it. It cannot be compared or subtracted' }),
    source: z.string().meta({
      description: '`consortium`, the publishing operator’s id, or `peer:<name>` for an indicator a peer deployment shared (federation)',
    }),
    tlp,
    type: z.enum(INDICATOR_TYPES),
    value: z.string().meta({ example: 'usps-redelivery.top' }),
    ascii: z.string().optional().meta({ description: 'punycode form of an internationalised domain' }),
    shortener: z.boolean().optional(),
    category: z.string().meta({ example: 'smishing' }),
    confidence: z.number().min(0).max(1),
    shared: z.boolean().meta({ description: 'false: withdrawn (allowlisted, disputed, decayed or revoked)' }),
    status,
    reporters: z.number().int().optional().meta({ description: 'distinct reporters (consortium indicators)' }),
    operators: z.number().int().optional().meta({ description: 'distinct operators (consortium indicators)' }),
    first_seen: z.iso.datetime(),
    last_seen: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'IndicatorChange' });

export const campaignChange = z
  .object({
    id: z.string(),
    seq: z.string(),
    tlp,
    category: z.string(),
    confidence: z.number(),
    language: z.string(),
    reports: z.number().int(),
    reporters: z.number().int(),
    operators: z.number().int(),
    first_seen: z.iso.datetime(),
    last_seen: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    sample_text: z.string().nullable().meta({
      description:
        'what the masked texts of the first k distinct reporters have in common (… where they differ); null until k reported the campaign',
    }),
    shared: z.boolean().meta({ description: 'false: a withdrawal, the verdict turned (operators reported false positives)' }),
    evidence: z.record(z.string(), z.number()).meta({
      description:
        'the log-odds each piece of evidence added to the verdict (model, reporters, operators, burst, sender, shortener, newDomain, legitimateDomain, lure, blocked, falsePositive); confidence is the logistic of their sum',
    }),
  })
  .meta({ id: 'CampaignChange' });

export const page = (item: z.ZodType, name: string) =>
  z
    .object({
      data: z.array(item),
      next: z.string().meta({ description: 'opaque cursor: pass it as `cursor` to continue; at the end it points past the last change' }),
      has_more: z.boolean(),
    })
    .meta({ id: name });

export const publishedIndicator = z
  .object({
    id: z.string().meta({ example: 'p_Zr1a9Qm0bKvWcXy2LhN3Tg' }),
    client_id: z.string(),
    source: z.string(),
    type: z.string(),
    value: z.string(),
    category: z.string(),
    tlp,
    confidence: z.number(),
    description: z.string().optional(),
    valid_until: z.iso.datetime().optional(),
    status,
    seq: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'PublishedIndicator' });

export const recentCampaign = z
  .object({
    id: z
      .string()
      .meta({ description: 'the campaign’s STIX id, as TAXII serves it', example: 'campaign--6f1c2f5e-3a9b-4c1d-9a51-0c1d2e3f4a5b' }),
    category: z.string().meta({ example: 'smishing' }),
    spam: z.boolean().meta({ description: 'the verdict; false: withdrawn (operators reported false positives)' }),
    probability: z.number().min(0).max(1).meta({ description: 'the verdict’s probability that the campaign is spam' }),
    sample_text: z
      .string()
      .nullable()
      .meta({ description: 'the masked sample text as the campaign feed shares it; null until k reporters' }),
    reporters: z.number().int(),
    operators: z.number().int(),
    first_seen: z.iso.datetime(),
    last_seen: z.iso.datetime(),
    hourly: z.array(z.number().int()).meta({ description: 'reports per UTC hour, oldest first; the last is the hour now running' }),
    growth: z.number().int().meta({ description: 'reports in the last `growth_hours` hours minus those in the `growth_hours` before' }),
    own_network: z.boolean().meta({ description: 'the key’s own operator reported it' }),
  })
  .meta({ id: 'RecentCampaign' });

export const recentCampaigns = z
  .object({
    hours: z.number().int().meta({ description: 'the window: this many UTC hours, up to now' }),
    growth_hours: z.number().int(),
    data: z.array(recentCampaign).meta({ description: 'sorted by growth, then by reports in the last `growth_hours`, then by last seen' }),
  })
  .meta({ id: 'RecentCampaigns' });

export const lookupIndicator = z
  .object({
    id: z.string().meta({ description: 'the indicator’s id in the feed (opaque), the one POST /v1/sightings takes' }),
    source: z.string().meta({ description: '`consortium` or the publishing operator’s id' }),
    tlp,
    type: z.enum(INDICATOR_TYPES),
    value: z.string(),
    ascii: z.string().optional().meta({ description: 'punycode form of an internationalised domain' }),
    category: z.string(),
    confidence: z.number().min(0).max(1).meta({ description: 'the current confidence (a consortium indicator’s score)' }),
    shared: z.boolean(),
    withdrawn: z.boolean().meta({ description: 'withdrawn from the feed (allowlisted, disputed, decayed or revoked): `!shared`' }),
    status,
    reporters: z.number().int().optional(),
    operators: z.number().int().optional(),
    first_seen: z.iso.datetime().meta({ description: 'first seen (consortium) or first published (an operator’s)' }),
    last_seen: z.iso.datetime(),
    updated_at: z.iso.datetime().meta({ description: 'its last change: confidence, status or feedback' }),
    feedback: z
      .object({
        blocked: z.number().int(),
        false_positive: z.number().int(),
        last_at: z.iso.datetime().nullable(),
      })
      .meta({ description: 'sightings received from every operator, as counts' }),
    history: z
      .array(
        z.object({
          at: z.iso.datetime({ offset: true }),
          confidence: z.number().min(0).max(1),
          status,
          shared: z.boolean(),
        }),
      )
      .meta({
        description:
          'its confidence, status and sharing over time, oldest first (the latest 50 points): a point each time the confidence moved by 0.01 or more, the status changed, or it was shared or withdrawn',
      }),
  })
  .meta({ id: 'LookupIndicator' });

export const lookupCampaign = recentCampaign
  .pick({
    id: true,
    category: true,
    spam: true,
    probability: true,
    sample_text: true,
    reporters: true,
    operators: true,
    first_seen: true,
    last_seen: true,
    own_network: true,
  })
  .extend({ indicator_ids: z.array(z.string()).meta({ description: 'the indicators found that the campaign holds' }) })
  .meta({ id: 'LookupCampaign' });

export const lookupResult = z
  .object({
    query: z.string(),
    matched: z
      .array(z.object({ type: z.enum(INDICATOR_TYPES), value: z.string() }))
      .meta({ description: 'what the query was read as: indicator types and normalised values (a number in E.164)' }),
    indicators: z.array(lookupIndicator),
    campaigns: z.array(lookupCampaign),
  })
  .meta({ id: 'LookupResult' });
