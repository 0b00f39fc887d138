/** A shared campaign as every portal view gives it (the API's serialisePortalCampaign). */
export interface PortalCampaign {
  id: string;
  category: string;
  spam: boolean;
  probability: number;
  sample_text: string | null;
  reporters: number;
  operators: number;
  first_seen: string;
  last_seen: string;
  own_network: boolean;
}

/** GET /v1/portal/now (the RecentCampaigns schema of /openapi.json). */
export interface RecentCampaign extends PortalCampaign {
  hourly: number[];
  growth: number;
}

export interface RecentCampaigns {
  hours: number;
  growth_hours: number;
  data: RecentCampaign[];
}
