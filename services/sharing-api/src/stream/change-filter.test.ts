import type { CampaignChange, IndicatorChange } from '@srs/db';
import { matchesFilter } from './change-filter';
import type { Change } from './change-reader';

const at = new Date('2026-01-01T00:00:00Z');
const indicator = (over: Partial<IndicatorChange>): Change => ({
  kind: 'indicator',
  seq: 1n,
  row: {
    seq: '1',
    id: 'c1',
    source: 'consortium',
    tlp: 'green',
    type: 'domain',
    value: 'x.top',
    ascii: null,
    shortener: false,
    category: 'smishing',
    confidence: 0.8,
    shared: true,
    status: 'active',
    reporters: 3,
    operators: 1,
    firstSeen: at,
    lastSeen: at,
    updatedAt: at,
    ...over,
  },
});
const campaign = (over: Partial<CampaignChange>): Change => ({
  kind: 'campaign',
  seq: 2n,
  row: {
    seq: '2',
    id: '1',
    category: 'smishing',
    confidence: 0.3,
    language: 'en',
    reports: 1,
    reporters: 1,
    operators: 1,
    firstSeen: at,
    lastSeen: at,
    updatedAt: at,
    sampleText: null,
    shared: true,
    verdictTerms: { model: 2 },
    ...over,
  },
});

describe('change filters', () => {
  const both = ['indicator', 'campaign'] as const;

  it('match everything when they set nothing', () => {
    expect([indicator({}), campaign({})].every((c) => matchesFilter({ kinds: both }, c))).toBe(true);
  });

  it('select by kind, category and indicator type', () => {
    expect(matchesFilter({ kinds: ['campaign'] }, indicator({}))).toBe(false);
    expect(matchesFilter({ kinds: both, categories: ['fraud'] }, campaign({ category: 'smishing' }))).toBe(false);
    expect(matchesFilter({ kinds: both, indicatorTypes: ['url'] }, indicator({ type: 'domain' }))).toBe(false);
    expect(matchesFilter({ kinds: both, indicatorTypes: ['url'] }, campaign({}))).toBe(true);
  });

  it('hold back weak indicators but never a withdrawal, and leave campaigns to the feed’s rule', () => {
    const filter = { kinds: both, minConfidence: 0.7 };
    expect(matchesFilter(filter, indicator({ confidence: 0.5 }))).toBe(false);
    expect(matchesFilter(filter, indicator({ confidence: 0.1, shared: false }))).toBe(true);
    expect(matchesFilter(filter, campaign({ confidence: 0.3 }))).toBe(true);
  });
});
