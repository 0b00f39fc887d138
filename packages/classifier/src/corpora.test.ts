import { dropCrossDuplicates, parseCorpus, shippedCorpora, weightCorpus } from './corpora';

describe('shipped corpora', () => {
  it('parses TSV with and without a category column, and the Indonesian CSV', () => {
    expect(parseCorpus('ham\thello there\nspam\tWIN now\tsmishing\n', 'tsv')).toEqual([
      { text: 'hello there', spam: false, corpusLabel: 'ham' },
      { text: 'WIN now', spam: true, corpusLabel: 'smishing', category: 'smishing' },
    ]);
    const csv = 'Teks,label\r\n"halo, apa kabar",0\r\n"Selamat anda menang",1\r\nDiskon 50%,2\r\n';
    expect(parseCorpus(csv, 'indonesian-csv').map((e) => [e.spam, e.category, e.corpusLabel])).toEqual([
      [false, undefined, 'normal'],
      [true, 'fraud', 'fraud'],
      [true, 'marketing', 'promo'],
    ]);
  });

  it('drops a text found in two corpora from both, and counts it', () => {
    const [a, b] = dropCrossDuplicates([
      {
        name: 'a',
        language: 'en',
        examples: [
          { text: 'Call me later!', spam: false },
          { text: 'only here', spam: false },
        ],
      },
      { name: 'b', language: 'en', examples: [{ text: 'call  me LATER', spam: true }] },
    ]);
    expect(a!.examples.map((e) => e.text)).toEqual(['only here']);
    expect(b!.examples).toEqual([]);
    expect([a!.crossDuplicatesDropped, b!.crossDuplicatesDropped]).toEqual([1, 1]);
  });

  it('weights a class down to its budget', () => {
    const examples = [...Array.from({ length: 10 }, () => ({ text: 'x', spam: false })), { text: 'y', spam: true }];
    const weighted = weightCorpus(examples, { budget: { ham: 5 } });
    expect(weighted.filter((e) => !e.spam).reduce((s, e) => s + e.weight!, 0)).toBeCloseTo(5);
    expect(weighted.find((e) => e.spam)!.weight).toBe(1);
  });

  it('reads all eight shipped corpora', () => {
    const corpora = shippedCorpora();
    expect(corpora.map((c) => c.name)).toEqual([
      'uci',
      'indonesian',
      'chinese-800k',
      'chinese-2013',
      'indian',
      'smishx',
      'vietnamese',
      'bengali',
    ]);
    for (const c of corpora) {
      expect(c.examples.some((e) => e.spam)).toBe(true);
      expect(c.examples.some((e) => !e.spam)).toBe(true);
    }
    expect(corpora.find((c) => c.name === 'uci')!.examples).toHaveLength(5574);
  });
});
