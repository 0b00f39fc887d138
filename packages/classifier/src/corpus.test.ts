import { indonesianExampleFromRow, parseCsv, parseIndonesianCsv, parseUciTsv, uciExampleFromRow } from './corpus';

describe('parseUciTsv', () => {
  it('splits each line on the first tab only and keeps quotes as text', () => {
    expect(parseUciTsv('ham\tsay "hi\tthere\nspam\tWIN £100 "now\n')).toEqual([
      { label: 'ham', text: 'say "hi\tthere' },
      { label: 'spam', text: 'WIN £100 "now' },
    ]);
  });

  it('refuses an unknown label', () => {
    expect(() => parseUciTsv('maybe\ttext\n')).toThrow(/label/);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes, CRLF and newlines inside quotes', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines",3\r\nplain,4')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', '3'],
      ['plain', '4'],
    ]);
  });

  it('ignores a byte-order mark', () => {
    expect(parseCsv('\ufeffTeks,label\n')).toEqual([['Teks', 'label']]);
  });
});

describe('parseIndonesianCsv', () => {
  it('maps the header and numeric labels', () => {
    expect(parseIndonesianCsv('Teks,label\r\n"Halo, apa kabar",0\r\nMenang hadiah,1\r\nPromo kuota,2\r\n')).toEqual([
      { text: 'Halo, apa kabar', label: 0 },
      { text: 'Menang hadiah', label: 1 },
      { text: 'Promo kuota', label: 2 },
    ]);
  });

  it('refuses a file with another header', () => {
    expect(() => parseIndonesianCsv('text,label\nx,0\n')).toThrow(/header/);
  });
});

describe('training examples from corpus rows', () => {
  it('maps Indonesian 1 to fraud, 2 to marketing and 0 to not spam', () => {
    expect(indonesianExampleFromRow({ label: 1, text: 'x' })).toEqual({ text: 'x', spam: true, category: 'fraud' });
    expect(indonesianExampleFromRow({ label: 2, text: 'x' })).toEqual({ text: 'x', spam: true, category: 'marketing' });
    expect(indonesianExampleFromRow({ label: 0, text: 'x' })).toEqual({ text: 'x', spam: false });
  });

  it('labels UCI spam weakly: prize wording as fraud, offers as marketing, else no kind', () => {
    expect(uciExampleFromRow({ label: 'spam', text: 'You have WON a guaranteed £1000 cash prize' })).toMatchObject({
      spam: true,
      category: 'fraud',
    });
    expect(uciExampleFromRow({ label: 'spam', text: 'Get a FREE ringtone every week, txt STOP to end' })).toMatchObject({
      spam: true,
      category: 'marketing',
    });
    expect(uciExampleFromRow({ label: 'spam', text: 'Call 09061234567 for a chat' }).category).toBeUndefined();
    expect(uciExampleFromRow({ label: 'ham', text: 'you won the game lol' })).toEqual({ text: 'you won the game lol', spam: false });
  });
});
