/** GET /v1/portal/now (the RecentCampaigns schema of /openapi.json). */
export interface RecentCampaign {
  id: string;
  category: string;
  spam: boolean;
  probability: number;
  sample_text: string | null;
  reporters: number;
  operators: number;
  first_seen: string;
  last_seen: string;
  hourly: number[];
  growth: number;
  own_network: boolean;
}

export interface RecentCampaigns {
  hours: number;
  growth_hours: number;
  data: RecentCampaign[];
}
