import type { PortalCampaign } from '@srs/db';
import { stixId } from '../stix/ids';

/** A shared campaign as every portal view gives it; its id is its STIX id, the one TAXII gives it. */
export function serialisePortalCampaign(r: PortalCampaign) {
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
    own_network: r.ownReported,
  };
}
