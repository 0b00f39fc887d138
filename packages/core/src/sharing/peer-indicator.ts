import { SPAM_CATEGORIES, type IndicatorStatus, type IndicatorType, type SpamCategory } from '../analysis';
import { parseIndicatorPattern } from './stix-patterns';
import type { Tlp } from './tlp';
import { tlpOfMarkingRefs, tlpWithin } from './tlp-markings';

/**
 * A peer's object without a TLP marking: treated as TLP:AMBER, so that an
 * unmarked object is offered on only when the peer granted AMBER or wider.
 */
export const UNMARKED_PEER_TLP: Tlp = 'amber';
/** STIX `confidence` is optional; an indicator without one is taken at even odds. */
const UNSTATED_CONFIDENCE = 0.5;

interface PeerVersion {
  stixId: string;
  /** the peer's `modified`: only a later version replaces the one held */
  modified: Date;
  tlp: Tlp;
}

/** An indicator offered to this deployment's operators, as the peer last stated it. */
export interface PeerIndicatorImport extends PeerVersion {
  kind: 'import';
  created: Date;
  type: IndicatorType;
  value: string;
  category: SpamCategory;
  confidence: number;
  description: string | null;
  validUntil: Date | null;
  status: IndicatorStatus;
}

/** Kept as the peer sent it but offered to nobody: above the peer's grant (or TLP:RED), or a pattern that names no SMS indicator. */
export interface PeerIndicatorWithheld extends PeerVersion {
  kind: 'withhold';
  reason: 'above-grant' | 'unsupported-pattern';
}

export type PeerIndicatorDecision = PeerIndicatorImport | PeerIndicatorWithheld;

const STIX_INDICATOR_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function time(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/**
 * What this deployment does with one object of a peer's collection, given the
 * highest TLP the peer lets it pass on (`grant`). Undefined: not an indicator
 * this deployment can hold (another type, or no id, pattern or `modified`).
 * TLP:RED is never offered on, whatever the grant.
 */
export function decidePeerIndicator(object: Record<string, unknown>, grant: Tlp, now: Date): PeerIndicatorDecision | undefined {
  const modified = time(object.modified);
  if (object.type !== 'indicator' || typeof object.id !== 'string' || !STIX_INDICATOR_ID.test(object.id) || !modified) return undefined;
  if (typeof object.pattern !== 'string') return undefined;
  const refs = Array.isArray(object.object_marking_refs)
    ? object.object_marking_refs.filter((r): r is string => typeof r === 'string')
    : [];
  const tlp = tlpOfMarkingRefs(refs) ?? UNMARKED_PEER_TLP;
  const version = { stixId: object.id, modified, tlp };
  if (tlp === 'red' || !tlpWithin(tlp, grant)) return { kind: 'withhold', reason: 'above-grant', ...version };
  const observed = object.pattern_type === undefined || object.pattern_type === 'stix' ? parseIndicatorPattern(object.pattern) : undefined;
  if (!observed) return { kind: 'withhold', reason: 'unsupported-pattern', ...version };
  const labels = Array.isArray(object.labels) ? object.labels : [];
  const category = SPAM_CATEGORIES.find((c) => labels.includes(c)) ?? 'other';
  const validUntil = time(object.valid_until) ?? null;
  const status: IndicatorStatus = object.revoked === true ? 'revoked' : validUntil && validUntil <= now ? 'expired' : 'active';
  return {
    kind: 'import',
    ...version,
    created: time(object.created) ?? modified,
    type: observed.type,
    value: observed.value,
    category,
    confidence: typeof object.confidence === 'number' ? Math.max(0, Math.min(1, object.confidence / 100)) : UNSTATED_CONFIDENCE,
    description: typeof object.description === 'string' ? object.description : null,
    validUntil,
    status,
  };
}
