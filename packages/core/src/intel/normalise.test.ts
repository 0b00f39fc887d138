import fc from 'fast-check';
import { cleanText, deobfuscate, maskText, normaliseText } from './normalise';

const mask = (text: string): string => maskText(normaliseText(text));

describe('normaliseText', () => {
  it('lower-cases, collapses whitespace and trims', () => {
    expect(normaliseText('  URGENT:\tYour   PARCEL\n\nis held  ')).toBe('urgent: your parcel is held');
  });

  it('lower-cases without the locale: a Turkish capital I stays an i', () => {
    expect(normaliseText('PAY NOW')).toBe('pay now');
    expect(normaliseText('İSTANBUL').startsWith('i')).toBe(true);
  });

  it('folds full-width and compatibility characters (NFKC)', () => {
    expect(normaliseText('Ｐａｙｐａｌ ﬁnal ①')).toBe('paypal final 1');
  });

  it('removes zero-width and bidirectional characters that split words for filters', () => {
    expect(normaliseText('pa\u200By\u200Cp\u200Da\u2060l\uFEFF ac\u00ADcount \u202Eevil')).toBe('paypal account evil');
  });

  it('makes control characters spaces', () => {
    expect(normaliseText('pay\u0000now\u0007please')).toBe('pay now please');
  });

  it('decodes common HTML entities once', () => {
    expect(normaliseText('Tom &amp; Jerry &lt;b&gt; it&#39;s &#x41; &quot;q&quot;')).toBe('tom & jerry <b> it\'s a "q"');
    expect(normaliseText('&amp;lt;')).toBe('&lt;');
    expect(normaliseText('&#xD800; &#0; &bogus;')).toBe('&#xd800; &#0; &bogus;');
  });

  it('undoes defanged links', () => {
    expect(normaliseText('hxxps://usps-redelivery[.]top/track')).toBe('https://usps-redelivery.top/track');
    expect(normaliseText('HXXP[:]//evil(.)com')).toBe('http://evil.com');
    expect(normaliseText('hxxps[://]evil{.}com[/]pay')).toBe('https://evil.com/pay');
    expect(normaliseText('visit evil[dot]com or evil (dot) net or evil [ . ] org')).toBe('visit evil.com or evil.net or evil.org');
    expect(normaliseText('mail me at john[at]mail(dot)ru')).toBe('mail me at john@mail.ru');
  });

  it('joins labels spelt out with " dot " when they make a real domain', () => {
    expect(normaliseText('go to paypal dot com dot secure-login dot top')).toBe('go to paypal.com.secure-login.top');
    expect(normaliseText('Royal-Mail DOT info')).toBe('royal-mail.info');
    expect(normaliseText('hmrc-refund dot co dot uk')).toBe('hmrc-refund.co.uk');
  });

  it('leaves "dot" in prose alone', () => {
    expect(normaliseText('join the dot to the next')).toBe('join the dot to the next');
    expect(normaliseText('a red dot appears')).toBe('a red dot appears');
    expect(normaliseText('tap the dot photo')).toBe('tap the dot photo');
    expect(normaliseText('tap the dot link')).toBe('tap the dot link');
  });
});

describe('deobfuscate', () => {
  it('keeps case, so link paths survive', () => {
    expect(deobfuscate('Pay at hxxps://Evil[.]top/Track?ID=AbC')).toBe('Pay at https://Evil.top/Track?ID=AbC');
  });
});

describe('maskText', () => {
  it('masks links with or without scheme, whatever their domain', () => {
    expect(mask('Pay at https://usps-redelivery.top/track?id=8f3k2 now')).toBe('pay at <url> now');
    expect(mask('visit royalmail-reschedule.com.')).toBe('visit <url>.');
    expect(mask('see www.x.co.uk/a or bit.ly/3xYz')).toBe('see <url> or <url>');
    expect(mask('请访问http://例子.中国/pay支付')).toBe('请访问<url>支付');
  });

  it('masks e-mail addresses', () => {
    expect(mask('write to Support@PayPal-Help.com today')).toBe('write to <email> today');
  });

  it('masks money in many currencies and styles', () => {
    expect(mask('pay £12.50 or $3 or € 5 or 1,99€ or ¥500 or 100元')).toBe(
      'pay <amount> or <amount> or <amount> or <amount> or <amount> or <amount>',
    );
    expect(mask('menang Rp 1.000.000 atau 50.000.000 rupiah, rs. 500, usd 20, 10 euros, $5k')).toBe(
      'menang <amount> atau <amount>, <amount>, <amount>, <amount>, <amount>',
    );
  });

  it('masks phone numbers however they are written', () => {
    expect(mask('call 0800 123 4567 or +44 (0) 7911-123456 or 07911123456')).toBe('call <phone> or <phone> or <phone>');
  });

  it('masks tracking codes that mix letters and digits', () => {
    expect(mask('parcel GB12345678 ref a8k2mzq9 code RM483920GB')).toBe('parcel <token> ref <token> code <token>');
  });

  it('leaves words without digits as they are', () => {
    expect(mask('Unpaid shipping fee, COVID-secure')).toBe('unpaid shipping fee, covid-secure');
  });

  it('masks other digit runs', () => {
    expect(mask('within 24 hours, text WIN to 88088, on 12/05')).toBe('within <num> hours, text win to <num>, on <num>/<num>');
  });

  it('masks the name after a greeting', () => {
    expect(mask('Hi John, your parcel')).toBe('hi <name>, your parcel');
    expect(mask('Dear John Smith, your account')).toBe('dear <name>, your account');
    expect(mask('USPS: Hello Mrs. Jones your parcel')).toBe('usps: hello <name> your parcel');
    expect(mask('Bonjour Amélie, votre colis')).toBe('bonjour <name>, votre colis');
    expect(mask('Hola María! tu paquete')).toBe('hola <name>! tu paquete');
  });

  it('takes no name from a greeting in the middle of a sentence', () => {
    expect(mask('say hello to John')).toBe('say hello to john');
  });

  it('collapses the variants of one campaign into one text', () => {
    const variants = [
      'Hi John, your parcel GB12345678 is held. Pay £1.45 at https://evri-redelivery.com/t?id=9dk2 or call 07911 123456',
      'hi  SARAH,   your parcel ZX99KK1200 is held.  Pay £2.99 at hxxps://evri-fee[.]top/p or call +44 7700 900456',
      'HI MIKE, YOUR PARCEL AB12CD34EF IS HELD. PAY £0.99 AT evri-help.info OR CALL 07700900123',
    ];
    expect(new Set(variants.map(mask))).toEqual(new Set(['hi <name>, your parcel <token> is held. pay <amount> at <url> or call <phone>']));
  });

  it('never throws, and gives trimmed text with single spaces', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('hxxp', '[.]', ' dot ', 'www.', '.com', '/', '£', '1', 'a', ' ', '\u200B', '&amp;', 'hi ', '@', '例', '.'),
        maxLength: 60,
      }),
    );
    fc.assert(
      fc.property(text, (raw) => {
        const masked = maskText(normaliseText(raw));
        expect(masked).toBe(masked.trim());
        expect(masked).not.toMatch(/\s\s|[\u200B\uFEFF]/u);
      }),
    );
  });
});

describe('cleanText', () => {
  it('repairs Windows-1252 quotes, straightens curly ones, keeps case, collapses space', () => {
    expect(cleanText('Don\u0092t  miss \u201cTHIS\u201d\n&pound;5 it’s hxxp://x[.]com')).toBe('Don\'t miss "THIS" £5 it\'s http://x.com');
  });

  it('reads at most 2,000 characters', () => {
    expect(cleanText('a '.repeat(5_000)).length).toBeLessThanOrEqual(2_000);
  });
});
