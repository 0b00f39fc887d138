import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends, null as an empty field', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x', 1],
          [null, true],
        ],
      ),
    ).toBe('a,b\r\nx,1\r\n,true\r\n');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(toCsv(['f'], [['a,b'], ['say "hi"'], ['two\nlines']])).toBe('f\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n');
  });

  it('keeps a spreadsheet from reading text as a formula', () => {
    const rows = [['=HYPERLINK("x")'], ['+1'], ['-1'], ['@SUM(A1)'], ['\tx'], ['\rx']];
    expect(toCsv(['f'], rows).split('\r\n').slice(1, 5)).toEqual([`"'=HYPERLINK(""x"")"`, "'+1", "'-1", "'@SUM(A1)"]);
    expect(toCsv(['f'], [['\tx']])).toBe("f\r\n'\tx\r\n");
    expect(toCsv(['f'], [['\rx']])).toBe(`f\r\n"'\rx"\r\n`);
  });

  it('leaves numbers as they are, a negative one too', () => {
    expect(toCsv(['n'], [[-5], [0.5]])).toBe('n\r\n-5\r\n0.5\r\n');
  });
});
