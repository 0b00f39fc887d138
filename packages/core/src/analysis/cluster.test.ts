import { simhash, simhashBands, NEAR_DUPLICATE_MAX_DISTANCE } from '../intel/fingerprint';
import { maskText, normaliseText } from '../intel/normalise';
import { assignCampaigns } from './cluster';

const fingerprint = (text: string) => {
  const hash = simhash(maskText(normaliseText(text)));
  return { simhash: hash, bands: simhashBands(hash) };
};
const assign = (texts: string[], candidates: Array<{ id: number; simhash: string }> = []) =>
  assignCampaigns(texts.map(fingerprint), candidates, NEAR_DUPLICATE_MAX_DISTANCE, (h) => simhashBands(h));

const PARCEL = [
  'Royal Mail: your parcel is held, a £1.45 fee is unpaid. Pay at https://rm-fee-a1.example/track?id=8F3K2 today',
  'ROYAL MAIL: your parcel is held, a £2.99 fee is unpaid. Pay at https://rm-fee-b2.example/track?id=Z9Q7W today',
];
const PRIZE = 'Congratulations! You have won a brand new iPhone 15, call 09061234567 to claim your prize now';

describe('assigning reports to campaigns', () => {
  it('starts one campaign for variants of a text within a batch', () => {
    const [a, b] = assign(PARCEL);
    expect(a).toEqual({ kind: 'new', key: 0, distance: 0 });
    expect(b).toMatchObject({ kind: 'new', key: 0 });
  });

  it('starts separate campaigns for unrelated texts', () => {
    const [a, b] = assign([PARCEL[0]!, PRIZE]);
    expect(a).toMatchObject({ kind: 'new', key: 0 });
    expect(b).toMatchObject({ kind: 'new', key: 1 });
  });

  it('joins a stored campaign found through a shared band', () => {
    const stored = { id: 42, simhash: fingerprint(PARCEL[0]!).simhash };
    expect(assign([PARCEL[1]!], [stored])[0]).toMatchObject({ kind: 'existing', campaignId: 42 });
  });

  it('ignores a stored candidate that shares a band but is too far away', () => {
    const { simhash: hash } = fingerprint(PARCEL[0]!);
    // Same first band, every other bit flipped: shares a band, far beyond the threshold.
    const far = hash.slice(0, 4) + [...hash.slice(4)].map((c) => (15 - parseInt(c, 16)).toString(16)).join('');
    expect(assign([PARCEL[0]!], [{ id: 7, simhash: far }])[0]).toMatchObject({ kind: 'new' });
  });
});
