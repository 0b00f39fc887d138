import type { CampaignPage } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';
import { stixId } from '../stix/ids';
import { CONSORTIUM_COLLECTION_ID } from '../taxii/collections';
import { TAXII_MOUNT } from '../taxii/taxii-routes';
import { serialisePortalIndicator } from './serialise-lookup';
import { serialisePortalCampaign } from './serialise-portal-campaign';

/** Where a TAXII client reads the same object: the consortium collection's object endpoint. */
export const taxiiObjectPath = (id: string) => `${TAXII_MOUNT}/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/${id}/`;

/**
 * GET /v1/portal/campaigns/:id. Ids are those the feed and TAXII give: the
 * campaign's STIX id, its indicators' sealed feed ids. Reports over time name
 * only the viewer's own network; every other operator is one sum.
 */
export function serialiseCampaignPage(page: CampaignPage, ids: SealedIds) {
  const c = page.campaign;
  const campaign = serialisePortalCampaign(c);
  return {
    ...campaign,
    verdict_terms: c.verdictTerms,
    language: c.language,
    reports: c.reports,
    updated_at: c.updatedAt,
    taxii: { collection_id: CONSORTIUM_COLLECTION_ID, object_path: taxiiObjectPath(campaign.id) },
    indicators: page.indicators.map((i) => ({
      ...serialisePortalIndicator(i, ids),
      stix_id: stixId('indicator', i.stixUuid),
      reporters: i.reporters,
      operators: i.operators,
    })),
    timeline: {
      grain: page.timeline.grain,
      other_operators: Math.max(0, c.operators - (c.ownReported ? 1 : 0)),
      buckets: page.timeline.buckets,
    },
    related: page.related.map((r) => ({
      id: stixId('campaign', r.stixUuid),
      category: r.category,
      spam: r.spam,
      probability: r.confidence,
      reporters: r.reporters,
      operators: r.operators,
      last_seen: r.lastSeen,
      shared_indicators: r.sharedIndicators,
    })),
  };
}
