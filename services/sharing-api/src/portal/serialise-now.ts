import { GROWTH_HOURS, RECENT_HOURS, type RecentCampaign } from '@srs/db';
import { stixId } from '../stix/ids';

/** One campaign of GET /v1/portal/now; its id is its STIX id, the one TAXII gives it. */
export function serialiseRecentCampaign(r: RecentCampaign) {
  return {
    id: stixId('campaign', r.stixUuid),
    category: r.category,
    spam: r.spam,
    probability: r.confidence,
    sample_text: r.sampleText,
    reporters: r.reporters,
    operators: r.operators,
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    hourly: r.hourly,
    growth: r.growth,
    own_network: r.ownReported,
  };
}

export const NOW_WINDOW = { hours: RECENT_HOURS, growthHours: GROWTH_HOURS };
