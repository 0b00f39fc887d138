import { decidePeerIndicator } from './peer-indicator';
import { tlpMarkingRef } from './tlp-markings';

const NOW = new Date('2026-03-01T00:00:00.000Z');

function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--0b0f5a1e-6d3a-4c1e-9d2b-8f6f7a1c2d3e',
    created: '2026-02-01T10:00:00.000Z',
    modified: '2026-02-02T10:00:00.000Z',
    pattern: "[domain-name:value = 'fee.example']",
    pattern_type: 'stix',
    valid_from: '2026-02-01T10:00:00.000Z',
    labels: ['smishing'],
    confidence: 80,
    object_marking_refs: [tlpMarkingRef('green')],
    ...overrides,
  };
}

describe("a peer's indicator", () => {
  it('is offered on with its type, value, category, confidence and TLP when its TLP is within the grant', () => {
    expect(decidePeerIndicator(indicator(), 'green', NOW)).toMatchObject({
      kind: 'import',
      stixId: 'indicator--0b0f5a1e-6d3a-4c1e-9d2b-8f6f7a1c2d3e',
      type: 'domain',
      value: 'fee.example',
      category: 'smishing',
      confidence: 0.8,
      tlp: 'green',
      status: 'active',
      created: new Date('2026-02-01T10:00:00.000Z'),
      modified: new Date('2026-02-02T10:00:00.000Z'),
    });
  });

  it('is withheld when its TLP is above the grant, and TLP:RED is withheld whatever the grant', () => {
    expect(decidePeerIndicator(indicator({ object_marking_refs: [tlpMarkingRef('amber')] }), 'green', NOW)).toMatchObject({
      kind: 'withhold',
      reason: 'above-grant',
      tlp: 'amber',
    });
    expect(decidePeerIndicator(indicator({ object_marking_refs: [tlpMarkingRef('red')] }), 'amber+strict', NOW)).toMatchObject({
      kind: 'withhold',
      tlp: 'red',
    });
  });

  it('counts as TLP:AMBER when unmarked, and takes the most restrictive of several markings', () => {
    expect(decidePeerIndicator(indicator({ object_marking_refs: undefined }), 'green', NOW)).toMatchObject({
      kind: 'withhold',
      tlp: 'amber',
    });
    expect(decidePeerIndicator(indicator({ object_marking_refs: undefined }), 'amber', NOW)).toMatchObject({
      kind: 'import',
      tlp: 'amber',
    });
    expect(
      decidePeerIndicator(indicator({ object_marking_refs: [tlpMarkingRef('clear'), tlpMarkingRef('amber')] }), 'green', NOW),
    ).toMatchObject({ kind: 'withhold', tlp: 'amber' });
  });

  it('is revoked when the peer revoked it, and expired when its validity ended', () => {
    expect(decidePeerIndicator(indicator({ revoked: true }), 'green', NOW)).toMatchObject({ kind: 'import', status: 'revoked' });
    expect(decidePeerIndicator(indicator({ valid_until: '2026-02-02T10:00:00.000Z' }), 'green', NOW)).toMatchObject({
      kind: 'import',
      status: 'expired',
    });
    expect(decidePeerIndicator(indicator({ valid_until: '2026-04-01T00:00:00.000Z' }), 'green', NOW)).toMatchObject({
      kind: 'import',
      status: 'active',
      validUntil: new Date('2026-04-01T00:00:00.000Z'),
    });
  });

  it('reads the SMS observables: sender ids and phone numbers', () => {
    expect(
      decidePeerIndicator(indicator({ pattern: "[sender-id:value = 'PARCELS' AND sender-id:sender_type = 'alphanumeric']" }), 'green', NOW),
    ).toMatchObject({ type: 'sender_alphanumeric', value: 'PARCELS' });
    expect(decidePeerIndicator(indicator({ pattern: "[phone-number:value = '+447700900123']" }), 'green', NOW)).toMatchObject({
      type: 'phone',
      value: '+447700900123',
    });
  });

  it('is kept but withheld when its pattern names no SMS indicator', () => {
    expect(decidePeerIndicator(indicator({ pattern: "[file:hashes.MD5 = 'abc']" }), 'green', NOW)).toMatchObject({
      kind: 'withhold',
      reason: 'unsupported-pattern',
    });
  });

  it('is not an indicator to hold when it is another object or lacks an id or modified', () => {
    expect(decidePeerIndicator({ type: 'identity', id: 'identity--0b0f5a1e-6d3a-4c1e-9d2b-8f6f7a1c2d3e' }, 'green', NOW)).toBeUndefined();
    expect(decidePeerIndicator(indicator({ modified: undefined }), 'green', NOW)).toBeUndefined();
    expect(decidePeerIndicator(indicator({ id: 'indicator--nope' }), 'green', NOW)).toBeUndefined();
  });
});
