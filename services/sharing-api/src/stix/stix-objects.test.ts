import { TLP_LEVELS } from '@srs/core';
import type { TaxiiCampaignRow, TaxiiIdentityRow, TaxiiIndicatorRow, TaxiiSightingRow } from '@srs/db';
import { expectValidStix, stixErrors } from '../../test/taxii-stix-schemas';
import { stixCampaign } from './campaign';
import { consortiumIdentity, operatorIdentity } from './identity';
import { indicatorStixId } from './ids';
import { stixIndicator } from './indicator';
import { stixSighting } from './sighting';
import { SMS_OBSERVABLES_EXTENSION_ID, smsObservablesExtension } from './sms-observables';
import { tlpMarkingDefinition, tlpMarkingRef, tlpOfMarkingRefs } from './tlp';

const at = { dateAdded: '2025-03-01T10:00:00.123456Z', rank: 2, ref: '1' };
const indicator: TaxiiIndicatorRow = {
  ...at,
  kind: 'indicator',
  feedId: 'c1',
  clientId: null,
  source: 'consortium',
  tlp: 'green',
  type: 'domain',
  value: 'fee.example',
  ascii: null,
  category: 'smishing',
  confidence: 0.87,
  shared: true,
  status: 'active',
  validFrom: '2025-03-01T09:00:00.000Z',
  validUntil: null,
  description: null,
  reporters: 4,
  operators: 2,
  created: '2025-03-01T09:00:00.000Z',
  modified: '2025-03-01T10:00:00.123Z',
};
const campaign: TaxiiCampaignRow = {
  ...at,
  kind: 'campaign',
  campaignId: '9',
  category: 'smishing',
  confidence: 0.9,
  language: 'en',
  reports: 5,
  reporters: 4,
  operators: 2,
  firstSeen: '2025-03-01T08:00:00.000Z',
  lastSeen: '2025-03-01T09:30:00.000Z',
  sampleText: 'URGENT your parcel is held, pay at http://fee.example/x',
  shared: true,
  created: '2025-03-01T08:00:01.000Z',
  modified: '2025-03-01T10:00:00.123Z',
};
const identity: TaxiiIdentityRow = {
  ...at,
  kind: 'identity',
  operatorId: 'demo-uk',
  name: 'Demo Mobile UK',
  country: 'GB',
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
};
const sighting: TaxiiSightingRow = {
  ...at,
  kind: 'sighting',
  sightingId: '3',
  operatorId: 'demo-fr',
  indicatorFeedId: 'c1',
  indicatorClientId: null,
  tlp: 'green',
  sightingKind: 'false_positive',
  count: 12,
  observedAt: '2025-03-01T09:45:00.000Z',
  created: '2025-03-01T09:46:00.000Z',
  modified: '2025-03-01T09:46:00.000Z',
};

describe('STIX objects', () => {
  it('validate against the STIX 2.1 schemas, whatever their kind and TLP', () => {
    expectValidStix([
      ...TLP_LEVELS.map(tlpMarkingDefinition),
      smsObservablesExtension(),
      consortiumIdentity(),
      operatorIdentity(identity),
      stixIndicator(indicator),
      ...TLP_LEVELS.map((tlp) =>
        stixIndicator({
          ...indicator,
          feedId: 'p1',
          source: 'demo-uk',
          tlp,
          description: 'seen by us',
          validUntil: '2026-01-01T00:00:00.000Z',
        }),
      ),
      ...(['phone', 'sender_msisdn', 'sender_short_code', 'sender_alphanumeric', 'url', 'email'] as const).map((type) =>
        stixIndicator({ ...indicator, type, value: 'x' }),
      ),
      stixIndicator({ ...indicator, shared: false }),
      stixIndicator({ ...indicator, status: 'revoked' }),
      stixCampaign(campaign),
      stixCampaign({ ...campaign, sampleText: null }),
      stixCampaign({ ...campaign, shared: false, category: 'not_spam' }),
      stixSighting(sighting),
    ]);
  });

  it('are checked by validators that do reject invalid objects', () => {
    const { pattern: _pattern, ...noPattern } = stixIndicator(indicator);
    expect(stixErrors(noPattern)).not.toEqual([]);
    expect(stixErrors({ ...stixCampaign(campaign), confidence: 1.5 })).not.toEqual([]);
    expect(stixErrors({ ...stixSighting(sighting), sighting_of_ref: 'not-an-id' })).not.toEqual([]);
  });

  it('mark every object but the TLP definitions themselves with a TLP', () => {
    for (const object of [
      smsObservablesExtension(),
      consortiumIdentity(),
      operatorIdentity(identity),
      stixIndicator(indicator),
      stixCampaign(campaign),
      stixSighting(sighting),
    ]) {
      expect(tlpOfMarkingRefs(object.object_marking_refs as string[])).toBeDefined();
    }
  });

  it('use the TLP 2.0 marking definitions OASIS publishes', () => {
    expect(tlpMarkingRef('clear')).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
    expect(tlpMarkingRef('red')).toBe('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
    expect(tlpMarkingDefinition('amber+strict')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'amber+strict' },
      },
    });
  });

  it('read the most restrictive TLP of several, in TLP 1.0 or 2.0', () => {
    expect(tlpOfMarkingRefs([tlpMarkingRef('green'), tlpMarkingRef('amber')])).toBe('amber');
    expect(tlpOfMarkingRefs(['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'])).toBe('red');
    expect(tlpOfMarkingRefs(['marking-definition--00000000-0000-4000-8000-000000000000'])).toBeUndefined();
  });

  it('show a withdrawn indicator as no longer valid, a shared one without an end, a revoked one as revoked', () => {
    expect(stixIndicator(indicator).valid_until).toBeUndefined();
    expect(stixIndicator({ ...indicator, shared: false }).valid_until).toBe(indicator.modified);
    expect(stixIndicator({ ...indicator, status: 'revoked' }).revoked).toBe(true);
  });

  it('describe a campaign by counts, adding its sample text only when the repository gave it', () => {
    expect(stixCampaign({ ...campaign, sampleText: null }).description).not.toContain('parcel');
    expect(stixCampaign({ ...campaign, sampleText: null }).lang).toBeUndefined();
    expect(stixCampaign(campaign).description).toContain(campaign.sampleText);
  });

  it('revoke a campaign whose verdict turned, and only that one', () => {
    expect(stixCampaign({ ...campaign, shared: false }).revoked).toBe(true);
    expect(stixCampaign(campaign).revoked).toBeUndefined();
  });

  it('point a sighting at the indicator it is about, seen by the operator that sent it', () => {
    const object = stixSighting(sighting);
    expect(object.sighting_of_ref).toBe(indicatorStixId('c1', null));
    expect(object.labels).toEqual(['false-positive']);
  });

  it('declare the SMS observables under a fixed extension id', () => {
    expect(smsObservablesExtension().id).toBe(SMS_OBSERVABLES_EXTENSION_ID);
    expect(SMS_OBSERVABLES_EXTENSION_ID).toBe('extension-definition--8d5de08e-1209-5dbe-8515-bec002c2141b');
  });
});
