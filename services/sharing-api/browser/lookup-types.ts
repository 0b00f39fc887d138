import type { PortalCampaign } from './now-types';

/** The answer of GET /v1/portal/lookup (see the OpenAPI document's LookupResult). */
export interface LookupIndicator {
  id: string;
  source: string;
  tlp: string;
  type: string;
  value: string;
  category: string;
  confidence: number;
  shared: boolean;
  withdrawn: boolean;
  status: string;
  reporters?: number;
  operators?: number;
  first_seen: string;
  last_seen: string;
  updated_at: string;
  feedback: { blocked: number; false_positive: number; last_at: string | null };
  /** oldest first */
  history: Array<{ at: string; confidence: number; status: string; shared: boolean }>;
}

/** A campaign holding what was found: as "Now" gives it, without its hours, with the indicators found in it. */
export interface LookupCampaign extends PortalCampaign {
  indicator_ids: string[];
}

export interface LookupResult {
  query: string;
  matched: Array<{ type: string; value: string }>;
  indicators: LookupIndicator[];
  campaigns: LookupCampaign[];
}
