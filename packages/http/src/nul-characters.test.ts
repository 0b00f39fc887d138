import { pathOfNul } from './nul-characters';

describe('pathOfNul', () => {
  it('names the first string or key holding U+0000, by its path', () => {
    expect(pathOfNul({ indicators: [{ value: 'ok' }, { value: 'bad\u0000' }] })).toBe('indicators[1].value');
    expect(pathOfNul({ ['k\u0000']: 1 })).toBe('k');
    expect(pathOfNul('\u0000')).toBe('body');
  });

  it('finds nothing in clean input', () => {
    expect(pathOfNul({ a: ['x', 1, null, { b: 'y' }] })).toBeUndefined();
  });
});
