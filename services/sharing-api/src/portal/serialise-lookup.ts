import type { LookupCampaign, LookupIndicator } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';
import { serialisePortalCampaign } from './serialise-portal-campaign';

/** What the portal shows of a shared indicator wherever it appears: the feed's id (sealed) and fields, its feedback and history. */
export function serialisePortalIndicator(r: Omit<LookupIndicator, 'source' | 'tlp' | 'reporters' | 'operators'>, ids: SealedIds) {
  return {
    id: ids.indicatorId(r.id),
    type: r.type,
    value: r.value,
    ...(r.ascii ? { ascii: r.ascii } : {}),
    category: r.category,
    confidence: r.confidence,
    shared: r.shared,
    withdrawn: !r.shared,
    status: r.status,
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    updated_at: r.updatedAt,
    feedback: { blocked: r.blocked, false_positive: r.falsePositive, last_at: r.lastFeedbackAt },
    history: r.history,
  };
}

/** One indicator of GET /v1/portal/lookup: who published it, at which TLP, and the consortium's counts. */
export function serialiseLookupIndicator(r: LookupIndicator, ids: SealedIds) {
  return {
    ...serialisePortalIndicator(r, ids),
    source: r.source,
    tlp: r.tlp,
    ...(r.reporters !== null ? { reporters: r.reporters, operators: r.operators } : {}),
  };
}

/** One campaign of GET /v1/portal/lookup, with the (sealed) ids of the indicators found in it. */
export function serialiseLookupCampaign(r: LookupCampaign, ids: SealedIds) {
  return { ...serialisePortalCampaign(r), indicator_ids: r.indicatorIds.map((id) => ids.indicatorId(id)) };
}
