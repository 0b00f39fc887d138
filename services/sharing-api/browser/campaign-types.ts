import type { LookupIndicator } from './lookup-types';
import type { PortalCampaign } from './now-types';

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

/** A shared campaign with indicators in common. */
export interface RelatedCampaign extends Pick<
  PortalCampaign,
  'id' | 'category' | 'spam' | 'probability' | 'reporters' | 'operators' | 'last_seen'
> {
  shared_indicators: number;
}

export interface CampaignDetail extends PortalCampaign {
  verdict_terms: Record<string, number> | null;
  language: string;
  reports: number;
  updated_at: string;
  taxii: { collection_id: string; object_path: string };
  indicators: CampaignIndicator[];
  timeline: { grain: 'hour' | 'day'; other_operators: number; buckets: TimelineBucket[] };
  related: RelatedCampaign[];
}
