import { TLP_LEVELS } from '@srs/core';
import type { TaxiiCampaignRow, TaxiiIdentityRow, TaxiiIndicatorRow, TaxiiSightingRow } from '@srs/db';
import { expectValidStix, stixErrors } from '../../test/taxii-stix-schemas';
import { stixCampaign } from './campaign';
import { consortiumIdentity, operatorIdentity } from './identity';
import { stixIndicator } from './indicator';
import { stixSighting } from './sighting';
import { SMS_OBSERVABLES_EXTENSION_ID, smsObservablesExtension } from './sms-observables';
import { tlpMarkingDefinition, tlpMarkingRef, tlpOfMarkingRefs } from './tlp';
import { validatorFindings } from './validator-rules';

const at = { dateAdded: '2025-03-01T10:00:00.123456Z', rank: 2, ref: '1' };
const indicator: TaxiiIndicatorRow = {
  ...at,
  kind: 'indicator',
  feedId: 'c1',
  stixUuid: '3f0b8e64-6a53-4d0a-9a0e-4f7d3c2b1a09',
  source: 'consortium',
  sourceStixUuid: null,
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
  stixUuid: '0d4c2a8e-1b7f-4e39-8c55-7a1e9b3f6d20',
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
  stixUuid: '9a7e3c15-2f48-4b6d-b1e0-5c8d4f2a7e63',
  name: 'Demo Mobile UK',
  country: 'GB',
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
};
const sighting: TaxiiSightingRow = {
  ...at,
  kind: 'sighting',
  sightingId: '3',
  stixUuid: 'c5e1f7a2-8b39-4d06-9e4a-1f2b3c4d5e6f',
  operatorId: 'demo-fr',
  operatorStixUuid: '6e2d9b40-7c1a-4f85-a3b2-0d9e8f7a6b5c',
  indicatorStixUuid: indicator.stixUuid,
  tlp: 'green',
  sightingKind: 'false_positive',
  count: 12,
  observedAt: '2025-03-01T09:45:00.000Z',
  created: '2025-03-01T09:46:00.000Z',
  modified: '2025-03-01T09:46:00.000Z',
  revoked: false,
};
const takenBack: TaxiiSightingRow = { ...sighting, modified: '2025-03-02T08:00:00.000Z', revoked: true };

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
          sourceStixUuid: identity.stixUuid,
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
      stixSighting(takenBack),
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
    expect(object.sighting_of_ref).toBe(`indicator--${indicator.stixUuid}`);
    expect(object.where_sighted_refs).toEqual([`identity--${sighting.operatorStixUuid}`]);
    expect(object.labels).toEqual(['false-positive']);
    expect(object.revoked).toBeUndefined();
  });

  it('serve a sighting its operator took back as a revoked, later version', () => {
    expect(stixSighting(takenBack)).toMatchObject({ revoked: true, created: sighting.created, modified: takenBack.modified });
  });

  it('declare the SMS observables under a fixed extension id', () => {
    expect(smsObservablesExtension().id).toBe(SMS_OBSERVABLES_EXTENSION_ID);
    expect(SMS_OBSERVABLES_EXTENSION_ID).toBe('extension-definition--50f11798-51cb-4a79-a8a2-8d6d83b44bc8');
  });

  it('give every indicator a description, as the validator asks', () => {
    const published = stixIndicator({ ...indicator, feedId: 'p1', source: 'demo-uk', sourceStixUuid: identity.stixUuid });
    expect(published.description).toEqual(expect.any(String));
    expect(published.created_by_ref).toBe(`identity--${identity.stixUuid}`);
  });

  it('are caught by the validator rules when they break one', () => {
    const object = stixIndicator(indicator);
    const v5 = { ...object, id: 'indicator--2ed6657d-e927-568b-95e1-2665a8aea6a2' };
    const { description: _description, ...undescribed } = object;
    expect(validatorFindings(v5)).toEqual([expect.stringMatching(/^uuid-check/)]);
    expect(validatorFindings(undescribed)).toEqual([expect.stringMatching(/^indicator-properties/)]);
    expect(validatorFindings({ ...object, sms_sender: 'x' })).toEqual([expect.stringMatching(/^custom-prefix/)]);
    expect(validatorFindings({ ...object, indicator_types: ['Malicious_Activity'] })).toEqual([
      expect.stringMatching(/^open-vocab-format/),
      expect.stringMatching(/not in its open vocabulary/),
    ]);
  });
});
