import type { LookupCampaign, LookupIndicator } from '@srs/db';
import type { SealedIds } from '../feed/sealed-ids';
import { stixId } from '../stix/ids';

/** One indicator of GET /v1/portal/lookup: the feed's fields and id (sealed), with its history as the data holds it. */
export function serialiseLookupIndicator(r: LookupIndicator, ids: SealedIds) {
  return {
    id: ids.indicatorId(r.id),
    source: r.source,
    tlp: r.tlp,
    type: r.type,
    value: r.value,
    ...(r.ascii ? { ascii: r.ascii } : {}),
    category: r.category,
    confidence: r.confidence,
    shared: r.shared,
    withdrawn: !r.shared,
    status: r.status,
    ...(r.reporters !== null ? { reporters: r.reporters, operators: r.operators } : {}),
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    updated_at: r.updatedAt,
    feedback: { blocked: r.blocked, false_positive: r.falsePositive, last_at: r.lastFeedbackAt },
    history: r.history,
  };
}

/** One campaign of GET /v1/portal/lookup: STIX id as in "Now", and the (sealed) ids of the indicators found in it. */
export function serialiseLookupCampaign(r: LookupCampaign, ids: SealedIds) {
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
    indicator_ids: r.indicatorIds.map((id) => ids.indicatorId(id)),
  };
}
