import { AppError } from '@srs/http';
import { decodeField, parseFormFields, percentDecode } from './form-fields';

describe('form field parsing', () => {
  it('decodes percent escapes and + as bytes', () => {
    expect(percentDecode('Hello+%C2%A3+world%2B1').toString('utf8')).toBe('Hello £ world+1');
    expect(percentDecode('100%').toString()).toBe('100%');
    expect(percentDecode('%zz').toString()).toBe('%zz');
  });

  it('keeps the first occurrence of a repeated field and ignores empty pairs', () => {
    const fields = parseFormFields('a=1&&a=2&b');
    expect(fields.get('a')?.toString()).toBe('1');
    expect(fields.get('b')?.toString()).toBe('');
  });

  it('names the field whose bytes are not valid UTF-8', () => {
    const fields = parseFormFields('text=%C3%28');
    expect(() => decodeField('text', fields.get('text')!)).toThrow(expect.objectContaining({ status: 400, field: 'text' }) as AppError);
  });

  it('decodes a text in the charset the gateway names', () => {
    const fields = parseFormFields('text=%4E%2D%65%87');
    expect(decodeField('text', fields.get('text')!, 'utf-16be')).toBe('中文');
    expect(decodeField('text', Buffer.from([0xe9]), 'iso-8859-1')).toBe('é');
  });

  it('refuses a charset it does not know', () => {
    expect(() => decodeField('text', Buffer.from('x'), 'klingon')).toThrow(expect.objectContaining({ status: 415 }) as AppError);
  });
});
