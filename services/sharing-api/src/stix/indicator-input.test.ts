import { indicatorInput } from './indicator-input';
import { tlpMarkingRef } from './tlp';

const base = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F',
  created: '2025-03-01T10:00:00.000Z',
  modified: '2025-03-02T10:00:00.000Z',
  pattern: "[phone-number:value = '+447700900123']",
  pattern_type: 'stix',
  valid_from: '2025-03-01T10:00:00Z',
  name: 'premium-rate number',
  description: 'calls to it cost the caller',
  object_marking_refs: [tlpMarkingRef('amber+strict')],
};

describe('STIX indicators sent to a collection', () => {
  it('become what publishing needs: canonical value, TLP, category from the labels, confidence out of 1', () => {
    expect(indicatorInput({ ...base, labels: ['bank', 'premium_rate'], confidence: 70 })).toEqual({
      ok: true,
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      version: base.modified,
      revoked: false,
      publish: expect.objectContaining({
        type: 'phone',
        value: '+447700900123',
        tlp: 'amber+strict',
        category: 'premium_rate',
        confidence: 0.7,
      }),
      posted: expect.anything(),
    });
  });

  it('keep the object as sent, its id in lower case, with the timestamps it versions by', () => {
    const sent = { ...base, name: 'their name', created_by_ref: 'identity--0d4c2a8e-1b7f-4e39-8c55-7a1e9b3f6d20', x_example_note: 'kept' };
    const input = indicatorInput(sent);
    expect(input.ok && input.posted).toEqual({
      object: { ...sent, id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
      created: base.created,
      modified: base.modified,
    });
  });

  it("fall back to the 'other' category and the default confidence", () => {
    const input = indicatorInput(base);
    expect(input.ok && !input.revoked && input.publish).toMatchObject({ category: 'other', confidence: 0.8 });
  });

  it('need no pattern or marking to be revoked', () => {
    expect(indicatorInput({ ...base, pattern: 'anything', object_marking_refs: undefined, revoked: true })).toMatchObject({
      ok: true,
      revoked: true,
    });
  });

  it('fail with a message naming what is wrong, keeping the id and version the client sent', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, type: 'malware' }, /only indicators/],
      [{ ...base, spec_version: '2.0' }, /^spec_version/],
      [{ ...base, pattern_type: 'sigma' }, /^pattern_type/],
      [{ ...base, object_marking_refs: [] }, /TLP/],
      [{ ...base, pattern: "[file:name = 'x.apk']" }, /^pattern/],
      [{ ...base, pattern: "[phone-number:value = '12']" }, /^value/],
      [{ ...base, modified: '2025-03-02T10:00:00.1234567Z' }, /^modified: .*microsecond/],
      [{ ...base, created: '2025-03-03T10:00:00.000Z' }, /^modified: earlier than created/],
      [{ ...base, description: undefined }, /validator would warn: indicator-properties/],
      [{ ...base, id: 'indicator--2ed6657d-e927-568b-95e1-2665a8aea6a2' }, /validator would warn: uuid-check/],
      [{ ...base, sms_note: 'x' }, /validator would warn: custom-prefix/],
    ];
    for (const [object, message] of cases) {
      expect(indicatorInput(object)).toEqual({
        ok: false,
        id: object.id,
        version: object.modified,
        message: expect.stringMatching(message),
      });
    }
  });
});
