import type { TaxiiCampaignRow } from '@srs/db';
import { CONSORTIUM_IDENTITY_ID, stixId } from './ids';
import { tlpMarkingRef } from './tlp';
import type { StixObject } from './types';

/**
 * A campaign: near-duplicate spam texts. Counts only; the text its first k
 * reporters have in common (masked) is in the row only once k distinct
 * reporters reported it (the repository decides), and only then is it
 * described, in its language.
 */
export function stixCampaign(row: TaxiiCampaignRow): StixObject {
  const counts = `${row.reports} ${plural(row.reports, 'report')} from ${row.reporters} ${plural(row.reporters, 'subscriber')} through ${row.operators} ${plural(row.operators, 'operator')}.`;
  const lang = row.sampleText !== null && /^[a-z]{2,3}$/.test(row.language) ? row.language : undefined;
  return {
    type: 'campaign',
    spec_version: '2.1',
    id: stixId('campaign', row.stixUuid),
    created_by_ref: CONSORTIUM_IDENTITY_ID,
    created: row.created,
    modified: row.modified,
    name: `SMS ${row.category} campaign ${row.campaignId}`,
    description:
      row.sampleText !== null
        ? `${counts}\nText its reporters share (numbers, links and greeted names masked; … where their copies differ): ${row.sampleText}`
        : counts,
    first_seen: row.firstSeen,
    last_seen: row.lastSeen,
    labels: [row.category],
    confidence: Math.max(0, Math.min(100, Math.round(row.confidence * 100))),
    ...(lang ? { lang } : {}),
    // Operators' false positives turned its verdict: withdrawn, as STIX says it.
    ...(row.shared ? {} : { revoked: true }),
    object_marking_refs: [tlpMarkingRef('green')],
  };
}

function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}
