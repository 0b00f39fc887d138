import { DEFAULT_FEATURE_CONFIG, extractFeatures, hashString } from './features';

const config = DEFAULT_FEATURE_CONFIG;
const snapshot = (text: string) => {
  const f = extractFeatures(text, config);
  return { indices: [...f.indices], values: [...f.values] };
};

describe('extractFeatures', () => {
  it('gives a text the same features whatever was extracted before it', () => {
    const text = 'Royal Mail: your parcel is held, pay £1.45 at https://rm-fee.example/t today';
    const first = snapshot(text);
    // A long text grows the reused tables, a short one leaves most of them stale.
    snapshot(`${'win a prize now 0906 123 4567 '.repeat(60)}中文短信测试`);
    snapshot('ok');
    expect(snapshot(text)).toEqual(first);
  });

  it('lists each bucket once, with every family scaled to its weight', () => {
    const f = extractFeatures('FREE entry! Text WIN to 80086 now. FREE FREE', config);
    expect(new Set(f.indices).size).toBe(f.indices.length);
    expect(f.indices.length).toBe(f.values.length);
    for (const v of f.values) expect(v).toBeGreaterThan(0);
    // Unit length per family times its weight (buckets of two families rarely collide in 2^22).
    const squares = [...f.values].reduce((s, v) => s + v * v, 0);
    const { word, char, signal } = config.weights;
    expect(Math.abs(squares - (word ** 2 + char ** 2 + signal ** 2))).toBeLessThan(0.02);
  });

  it('hashes a bigram as the hash of the two words joined by a space', () => {
    const mask = (1 << config.hashBits) - 1;
    const word = (t: string) => hashString(t, 0x9e3779b1 | 0) & mask;
    const f = extractFeatures('hello world', { ...config, weights: { word: 1, char: 0, signal: 0 } });
    expect([...f.indices]).toEqual([word('hello'), word('world'), word('hello world')]);
  });

  it('gives an empty text no word or character features', () => {
    const f = extractFeatures('', { ...config, weights: { word: 1, char: 0, signal: 0 } });
    expect(f.indices.length).toBe(0);
  });
});
