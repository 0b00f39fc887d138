import { commonText, GAP } from './common-text';
import { maskText, normaliseText } from './normalise';

const masked = (text: string) => maskText(normaliseText(text));

describe('commonText: what every reporter text holds', () => {
  it('keeps a text unchanged when both hold it', () => {
    const text = masked('Your parcel is held. Pay the fee at http://fee.example/x');
    expect(commonText(text, text)).toBe(text);
  });

  it('drops the names, notes and numbers one subscriber alone wrote or received', () => {
    const alice = masked('Alice Smithson, your account 88213344 has been locked. Verify at http://bank-verify.example today');
    const bob = masked('Bob Jones, your account 55120987 has been locked. Verify at http://bank-verify.example today');
    const carol = masked(
      'FW: mum is this real? call me back on 07700 900123. Carol Ng, your account 90011223 has been locked. Verify at http://bank-verify.example today',
    );
    const shared = commonText(commonText(alice, bob), carol);
    for (const personal of ['alice', 'smithson', 'bob', 'jones', 'carol', 'mum', 'call me back', '07700', '900123', '88213344']) {
      expect(shared).not.toContain(personal);
    }
    expect(shared).toBe(`${GAP} your account <phone> has been locked. verify at <url> today`);
  });

  it('marks each place the texts differ with one gap, and a difference in spacing with none', () => {
    expect(commonText('win a prize now, reply yes', 'win a car now,  reply yes')).toBe(`win a ${GAP} now, reply yes`);
    expect(commonText('a b c d', 'x y z')).toBe(GAP);
  });

  it('treats the gaps of an earlier common text as matching nothing', () => {
    const first = commonText('claim your prize at <url> now', 'claim your car at <url> now');
    expect(commonText(first, `claim your ${GAP} at <url> now`)).toBe(`claim your ${GAP} at <url> now`);
  });

  it('splits Chinese into words, so one changed name leaves the rest of the sentence', () => {
    const a = masked('张伟您好，您的账户已被冻结，请点击 http://x.example 解冻');
    const b = masked('李娜您好，您的账户已被冻结，请点击 http://x.example 解冻');
    const shared = commonText(a, b);
    expect(shared).not.toMatch(/张伟|李娜/);
    expect(shared).toContain('账户');
    expect(shared).toContain('<url>');
  });

  it('stays fast on the longest bodies', () => {
    const long = masked('pay now '.repeat(700));
    const other = masked('pay later '.repeat(700));
    expect(commonText(long, other).length).toBeLessThan(long.length);
  });
});
