import { GROWTH_HOURS, RECENT_HOURS, type RecentCampaign } from '@srs/db';
import { serialisePortalCampaign } from './serialise-portal-campaign';

/** One campaign of GET /v1/portal/now, with its reports per hour. */
export function serialiseRecentCampaign(r: RecentCampaign) {
  return { ...serialisePortalCampaign(r), hourly: r.hourly, growth: r.growth };
}

export const NOW_WINDOW = { hours: RECENT_HOURS, growthHours: GROWTH_HOURS };
