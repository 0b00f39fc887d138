import type { LookupIndicator } from './lookup-types';

/** The answer of GET /v1/portal/campaigns/:id (see the OpenAPI document's CampaignDetail). */
export interface CampaignIndicator extends Omit<LookupIndicator, 'source' | 'tlp' | 'reporters' | 'operators'> {
  stix_id: string;
  reporters: number;
  operators: number;
}

export interface TimelineBucket {
  start: string;
  own: number;
  others: number;
}

export interface RelatedCampaign {
  id: string;
  category: string;
  spam: boolean;
  probability: number;
  reporters: number;
  operators: number;
  last_seen: string;
  shared_indicators: number;
}

export interface CampaignDetail {
  id: string;
  category: string;
  spam: boolean;
  probability: number;
  verdict_terms: Record<string, number> | null;
  language: string;
  sample_text: string | null;
  reports: number;
  reporters: number;
  operators: number;
  first_seen: string;
  last_seen: string;
  updated_at: string;
  own_network: boolean;
  taxii: { collection_id: string; object_path: string };
  indicators: CampaignIndicator[];
  timeline: { grain: 'hour' | 'day'; other_operators: number; buckets: TimelineBucket[] };
  related: RelatedCampaign[];
}
