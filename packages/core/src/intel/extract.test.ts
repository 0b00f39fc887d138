import fc from 'fast-check';
import { parse } from 'tldts';
import { extractIndicators, type ExtractedIndicator } from './extract';

const ofType = <T extends ExtractedIndicator['type']>(indicators: ExtractedIndicator[], type: T) =>
  indicators.filter((i): i is Extract<ExtractedIndicator, { type: T }> => i.type === type);
const values = (indicators: ExtractedIndicator[], type: ExtractedIndicator['type']) => ofType(indicators, type).map((i) => i.value);

describe('extractIndicators', () => {
  describe('on realistic smishing', () => {
    it('reads a defanged link, and does not take the amount for a number', () => {
      expect(
        extractIndicators('USPS: your package is held, pay $1.99 at hxxps://usps-redelivery[.]top/track?id=8f3k2', {
          defaultCountry: 'US',
        }),
      ).toEqual([
        {
          type: 'url',
          value: 'https://usps-redelivery.top/track?id=8f3k2',
          domain: 'usps-redelivery.top',
          domainAscii: 'usps-redelivery.top',
          shortener: false,
        },
        { type: 'domain', value: 'usps-redelivery.top', ascii: 'usps-redelivery.top', shortener: false },
      ]);
    });

    it('reads a bare domain as a link', () => {
      expect(extractIndicators('Royal Mail: fee unpaid, visit royalmail-reschedule.com', { defaultCountry: 'GB' })).toEqual([
        {
          type: 'url',
          value: 'http://royalmail-reschedule.com/',
          domain: 'royalmail-reschedule.com',
          domainAscii: 'royalmail-reschedule.com',
          shortener: false,
        },
        { type: 'domain', value: 'royalmail-reschedule.com', ascii: 'royalmail-reschedule.com', shortener: false },
      ]);
    });

    it('reads a national number in the default country', () => {
      expect(extractIndicators('Your bank account is locked, call 0800 123 4567', { defaultCountry: 'GB' })).toEqual([
        { type: 'phone', value: '+448001234567' },
      ]);
    });

    it('reads a Chinese IDN link in both forms, and a Chinese mobile number', () => {
      expect(extractIndicators('您的包裹被扣留，请访问 http://例子.中国/pay 支付，或致电 138 0013 8000', { defaultCountry: 'CN' })).toEqual(
        [
          {
            type: 'url',
            value: 'http://xn--fsqu00a.xn--fiqs8s/pay',
            domain: '例子.中国',
            domainAscii: 'xn--fsqu00a.xn--fiqs8s',
            shortener: false,
          },
          { type: 'domain', value: '例子.中国', ascii: 'xn--fsqu00a.xn--fiqs8s', shortener: false },
          { type: 'phone', value: '+8613800138000' },
        ],
      );
    });

    it('finds links run into Chinese prose without spaces', () => {
      const found = extractIndicators('您的包裹被扣留，请访问http://例子.中国/pay支付。或访问abc-pay.com完成', { defaultCountry: 'CN' });
      expect(values(found, 'url')).toEqual(['http://xn--fsqu00a.xn--fiqs8s/pay', 'http://abc-pay.com/']);
    });

    it('takes no host under a name that is not a public suffix (例子.测试 is reserved for testing)', () => {
      expect(extractIndicators('您的包裹被扣留，请访问 http://例子.测试/pay 支付', { defaultCountry: 'CN' })).toEqual([]);
    });

    it('reads the number in a WhatsApp link, and leaves the rupiah amount, OTP code and date alone', () => {
      const text =
        'Selamat! Anda menang Rp 1.000.000 atau 5.000.000 rupiah. Hubungi wa.me/6281234567890 atau 0812-3456-7890. Kode OTP 483920, tgl 12/05/2024';
      expect(extractIndicators(text, { defaultCountry: 'ID' })).toEqual([
        { type: 'url', value: 'http://wa.me/6281234567890', domain: 'wa.me', domainAscii: 'wa.me', shortener: false },
        { type: 'domain', value: 'wa.me', ascii: 'wa.me', shortener: false },
        { type: 'phone', value: '+6281234567890' },
      ]);
    });

    it('reads the number of an api.whatsapp.com link', () => {
      const found = extractIndicators('Chat: https://api.whatsapp.com/send?phone=447911123456&text=hi', {});
      expect(values(found, 'phone')).toEqual(['+447911123456']);
    });

    it('flags link shorteners on the url and the domain', () => {
      const found = extractIndicators('Claim at bit.ly/3xYz or https://tinyurl.com/abc or t.co/Ab1', {});
      expect(ofType(found, 'url').map((u) => [u.value, u.shortener])).toEqual([
        ['http://bit.ly/3xYz', true],
        ['https://tinyurl.com/abc', true],
        ['http://t.co/Ab1', true],
      ]);
      expect(ofType(found, 'domain').every((d) => d.shortener)).toBe(true);
      expect(ofType(extractIndicators('visit evri-redelivery.com', {}), 'domain')[0]?.shortener).toBe(false);
    });

    it('reads e-mail addresses, lower-casing their domain', () => {
      expect(extractIndicators('Reply to Support.Team@PayPal-Help.COM with your details', {})).toEqual([
        { type: 'email', value: 'Support.Team@paypal-help.com' },
      ]);
    });

    it('reads international numbers whatever the default country', () => {
      expect(values(extractIndicators('Call +44 20 7946 0123 or +33 6 12 34 56 78 now', { defaultCountry: 'US' }), 'phone')).toEqual([
        '+442079460123',
        '+33612345678',
      ]);
      expect(values(extractIndicators('Call +44 20 7946 0123', {}), 'phone')).toEqual(['+442079460123']);
    });

    it('takes no short code or premium SMS number for a phone', () => {
      expect(extractIndicators('Text WIN to 88088 or 7726 now', { defaultCountry: 'GB' })).toEqual([]);
    });
  });

  describe('links', () => {
    it('keeps the path as written, and lower-cases the host', () => {
      expect(values(extractIndicators('Track at www.Evri-Parcel.INFO/Track?ID=AbC123.', {}), 'url')).toEqual([
        'http://www.evri-parcel.info/Track?ID=AbC123',
      ]);
    });

    it('strips sentence punctuation after a link, but keeps a parenthesis the link opened', () => {
      expect(values(extractIndicators('(see https://x-pay.com/a), then x-pay.com/b! and x-pay.com/wiki/A_(b))', {}), 'url')).toEqual([
        'https://x-pay.com/a',
        'http://x-pay.com/b',
        'http://x-pay.com/wiki/A_(b)',
      ]);
    });

    it('gives the registrable domain under a public suffix of several labels, once per domain', () => {
      const found = extractIndicators('a.b.example.co.uk/x and www.example.co.uk/y', {});
      expect(ofType(found, 'url').map((u) => u.domain)).toEqual(['example.co.uk', 'example.co.uk']);
      expect(values(found, 'domain')).toEqual(['example.co.uk']);
    });

    it('counts hosting platforms’ private suffixes, so one tenant is not the whole platform', () => {
      expect(values(extractIndicators('https://royalmail-fee.pages.dev/pay', {}), 'domain')).toEqual(['royalmail-fee.pages.dev']);
    });

    it('reads IDN hosts written in Unicode or punycode as the same domain', () => {
      const found = extractIndicators('пример.рф/a and http://xn--e1afmkfd.xn--p1ai/b', {});
      expect(ofType(found, 'domain')).toEqual([{ type: 'domain', value: 'пример.рф', ascii: 'xn--e1afmkfd.xn--p1ai', shortener: false }]);
      expect(values(found, 'url')).toEqual(['http://xn--e1afmkfd.xn--p1ai/a', 'http://xn--e1afmkfd.xn--p1ai/b']);
    });

    it('reads domains written with capitals, and after a colon without space', () => {
      expect(values(extractIndicators('Visit:ROYALMAIL-FEES.COM or Evri-Parcel.Info or RoyalMail.Com', {}), 'domain')).toEqual([
        'royalmail-fees.com',
        'evri-parcel.info',
        'royalmail.com',
      ]);
    });

    it('reads the real host of a link with user information', () => {
      expect(values(extractIndicators('https://paypal.com@evil-login.top/x', {}), 'domain')).toEqual(['evil-login.top']);
      expect(values(extractIndicators('https://paypal.com@evil-login.top/x', {}), 'email')).toEqual([]);
    });

    it('reads links written with full-width characters or zero-width spaces', () => {
      expect(values(extractIndicators('ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ／ｐａｙ and pay\u200Bpal-help.com', {}), 'domain')).toEqual([
        'evil.com',
        'paypal-help.com',
      ]);
    });

    it('takes file names, numbers, abbreviations, IP addresses and sentences missing a space for no domain', () => {
      const text =
        'See photo.jpg and report.pdf, price 1.50, e.g. later, i.e. now, at 5 p.m. or http://192.168.0.1/x. Your parcel is held.Click here. Hello.How are you';
      expect(extractIndicators(text, { defaultCountry: 'GB' })).toEqual([]);
    });
  });

  describe('phone numbers', () => {
    it('gives each number once in E.164, however often and however it is written', () => {
      const found = extractIndicators('Call 07911 123456, +44 7911 123456 or 07911-123-456', { defaultCountry: 'GB' });
      expect(found).toEqual([{ type: 'phone', value: '+447911123456' }]);
    });

    it('takes no amount, date, time or one-time code for a number', () => {
      const text = 'Pay £1,234,567.00 or 1.000.000 € before 12.05.2024 10:30, code 483920, order 2024-05-12';
      expect(values(extractIndicators(text, { defaultCountry: 'GB' }), 'phone')).toEqual([]);
    });

    it('reads numbers written with dots', () => {
      expect(values(extractIndicators('Appelez le 06.12.34.56.78', { defaultCountry: 'FR' }), 'phone')).toEqual(['+33612345678']);
    });

    it('reads digits inside links as part of the link, not as numbers', () => {
      expect(values(extractIndicators('https://evil.top/track/07911123456', { defaultCountry: 'GB' }), 'phone')).toEqual([]);
    });

    it('ignores an unknown default country instead of failing', () => {
      expect(extractIndicators('call 0800 123 4567 or +44 20 7946 0123', { defaultCountry: 'ZZ' })).toEqual([
        { type: 'phone', value: '+442079460123' },
      ]);
    });
  });

  describe('on any input', () => {
    const fragments = fc.constantFrom(
      'http://',
      'https://',
      'hxxps',
      '[.]',
      '(dot)',
      ' dot ',
      'www.',
      '.com',
      '.co.uk',
      '.top',
      '.中国',
      '.рф',
      'xn--',
      '-',
      '/',
      '?',
      '#',
      '@',
      ':',
      '+44',
      '07911',
      '123456',
      '0800',
      ' ',
      '.',
      ',',
      ')',
      '(',
      '£',
      'Rp',
      'wa.me/',
      '62812',
      'bit.ly',
      'a',
      'Z',
      '例',
      'é',
      '\u200B',
      '\u0000',
      '\uD800',
      '%',
      '&amp;',
      ' +44 7911 123456 ',
      ' 07911 654321 ',
      ' john.doe',
      '@mail.com',
      ' wa.me/447911123456 ',
      '[at]',
    );
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: fragments, maxLength: 80 }),
    );
    const country = fc.constantFrom(undefined, 'GB', 'US', 'FR', 'CN', 'ID', 'IN', 'gb', 'ZZ', '', 'not a country');

    it('never throws, and gives only well-formed indicators', () => {
      fc.assert(
        fc.property(anyText, country, (text, defaultCountry) => {
          for (const indicator of extractIndicators(text, defaultCountry === undefined ? {} : { defaultCountry }))
            expectWellFormed(indicator);
        }),
        { numRuns: 500 },
      );
    });

    // How fast: npm run bench (extraction of a 330,000-character text).
    it('copes with huge texts', () => {
      const huge =
        'Pay £1.99 at hxxps://evil[.]top/x or call 07911 123456 例子.中国 '.repeat(2_000) + 'a.'.repeat(50_000) + '1'.repeat(50_000);
      const found = extractIndicators(huge, { defaultCountry: 'GB' });
      found.forEach(expectWellFormed);
      expect(values(found, 'domain')).toContain('evil.top');
    });
  });
});

const ASCII_HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const UNICODE_HOST = /^[^\s./:@?#]+(?:\.[^\s./:@?#]+)+$/u;
const EMAIL = /^[a-z0-9._%+-]{1,64}@[^\s@./:]+(?:\.[^\s@./:]+)+$/iu;

function expectWellFormed(indicator: ExtractedIndicator): void {
  switch (indicator.type) {
    case 'url': {
      const url = new URL(indicator.value);
      expect(['http:', 'https:']).toContain(url.protocol);
      expect(url.hostname.endsWith(indicator.domainAscii)).toBe(true);
      expectDomain(indicator.domain, indicator.domainAscii);
      break;
    }
    case 'domain':
      expectDomain(indicator.value, indicator.ascii);
      break;
    case 'phone':
      expect(indicator.value).toMatch(/^\+[1-9]\d{6,14}$/);
      break;
    case 'email':
      expect(indicator.value).toMatch(EMAIL);
      expect(indicator.value.split('@')[1]).toBe(indicator.value.split('@')[1]!.toLowerCase());
      break;
  }
}

function expectDomain(unicode: string, ascii: string): void {
  expect(ascii).toMatch(ASCII_HOST);
  expect(unicode).toMatch(UNICODE_HOST);
  const parsed = parse(ascii, { allowPrivateDomains: true });
  expect(parsed.publicSuffix).not.toBeNull();
  expect(parsed.domain).toBe(ascii);
  expect(parse(ascii).isIcann).toBe(true);
}
