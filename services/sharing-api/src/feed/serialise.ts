import type { CampaignChange, IndicatorChange } from '@srs/db';
import { encodeCursor } from './cursor';
import type { SealedIds } from './sealed-ids';

/**
 * The JSON of one indicator or campaign change. The feed pages, the stream
 * and webhooks all send these, so a client parses one shape wherever it
 * receives a change from. `id` and `seq` are sealed (see SealedIds): `seq` is
 * the feed cursor just past this change, opaque like every cursor.
 */
export function serialiseIndicator(r: IndicatorChange, ids: SealedIds) {
  return {
    id: ids.indicatorId(r.id),
    seq: encodeCursor(ids, BigInt(r.seq)),
    source: r.source,
    tlp: r.tlp,
    type: r.type,
    value: r.value,
    ...(r.ascii ? { ascii: r.ascii } : {}),
    ...(r.shortener ? { shortener: true } : {}),
    category: r.category,
    confidence: r.confidence,
    // shared: false is a withdrawal (allowlisted, disputed or decayed below the threshold)
    shared: r.shared,
    status: r.status,
    ...(r.reporters !== null ? { reporters: r.reporters, operators: r.operators } : {}),
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    updated_at: r.updatedAt,
  };
}

/** Campaign ids stay numbers: every campaign is the consortium's, so their gaps count nothing of another operator's. */
export function serialiseCampaign(r: CampaignChange, ids: SealedIds) {
  return {
    id: r.id,
    seq: encodeCursor(ids, BigInt(r.seq)),
    // Campaigns are the consortium's own findings, shared with its members.
    tlp: 'green' as const,
    category: r.category,
    confidence: r.confidence,
    language: r.language,
    reports: r.reports,
    reporters: r.reporters,
    operators: r.operators,
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    updated_at: r.updatedAt,
    sample_text: r.sampleText,
    // shared: false is a withdrawal: the evidence (operators' false positives) turned its verdict
    shared: r.shared,
    // why: the log-odds each piece of evidence added to its verdict; confidence is their logistic
    evidence: r.verdictTerms ?? {},
  };
}
