import type { CampaignPage } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';
import { stixId } from '../stix/ids';
import { CONSORTIUM_COLLECTION_ID } from '../taxii/collections';
import { TAXII_MOUNT } from '../taxii/taxii-routes';

/** Where a TAXII client reads the same object: the consortium collection's object endpoint. */
export const taxiiObjectPath = (id: string) => `${TAXII_MOUNT}/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/${id}/`;

/**
 * GET /v1/portal/campaigns/:id. Ids are those the feed and TAXII give: the
 * campaign's STIX id, its indicators' sealed feed ids. Reports over time name
 * only the viewer's own network; every other operator is one sum.
 */
export function serialiseCampaignPage(page: CampaignPage, ids: SealedIds) {
  const c = page.campaign;
  const id = stixId('campaign', c.stixUuid);
  return {
    id,
    category: c.category,
    spam: c.spam,
    probability: c.confidence,
    verdict_terms: c.verdictTerms,
    language: c.language,
    sample_text: c.sampleText,
    reports: c.reports,
    reporters: c.reporters,
    operators: c.operators,
    first_seen: c.firstSeen,
    last_seen: c.lastSeen,
    updated_at: c.updatedAt,
    own_network: c.ownReported,
    taxii: { collection_id: CONSORTIUM_COLLECTION_ID, object_path: taxiiObjectPath(id) },
    indicators: page.indicators.map((i) => ({
      id: ids.indicatorId(i.id),
      stix_id: stixId('indicator', i.stixUuid),
      type: i.type,
      value: i.value,
      ...(i.ascii ? { ascii: i.ascii } : {}),
      category: i.category,
      confidence: i.confidence,
      shared: i.shared,
      withdrawn: !i.shared,
      status: i.status,
      reporters: i.reporters,
      operators: i.operators,
      first_seen: i.firstSeen,
      last_seen: i.lastSeen,
      updated_at: i.updatedAt,
      feedback: { blocked: i.blocked, false_positive: i.falsePositive, last_at: i.lastFeedbackAt },
      history: i.history,
    })),
    timeline: {
      grain: page.timeline.grain,
      other_operators: Math.max(0, c.operators - (c.ownReported ? 1 : 0)),
      buckets: page.timeline.buckets.map((b) => ({ start: b.start, own: b.own, others: b.others })),
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
