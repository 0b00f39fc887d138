import { cleanText } from '@srs/core';
import { extractSignals, signalFeatures } from './signals';

const signals = (text: string) => extractSignals(cleanText(text), text);

describe('link signals', () => {
  it('sees scheme links, www links and bare domains, and names their hosts and TLDs', () => {
    expect(signals('Pay at https://fee-check.example.com/x now')).toMatchObject({
      url: true,
      urlScheme: true,
      hosts: ['fee-check.example.com'],
      tlds: ['com'],
    });
    expect(signals('visit www.txttowin.co.uk today')).toMatchObject({ url: true, urlWww: true, tlds: ['uk'] });
    expect(signals('Update at royalmail-fee.uk/pay')).toMatchObject({ url: true, urlBare: true, hosts: ['royalmail-fee.uk'] });
  });

  it('sees links inside Chinese text, which has no spaces around them', () => {
    expect(signals('请点击abc-verify.top完成验证')).toMatchObject({ url: true, urlBare: true, hosts: ['abc-verify.top'] });
  });

  it('marks defanged links and reads them as links', () => {
    const s = signals('go to hxxp://bad[.]example.com/login');
    expect(s).toMatchObject({ url: true, urlDefanged: true, urlScheme: true });
  });

  it('knows link shorteners and links to an IP address', () => {
    expect(signals('see bit.ly/3xYz now').urlShortener).toBe(true);
    expect(signals('see https://tinyurl.com/abc').urlShortener).toBe(true);
    expect(signals('login http://192.168.10.4/bank').urlIp).toBe(true);
  });

  it('does not take a missing space after a full stop for a link', () => {
    expect(signals('Call me.to be honest I forgot').url).toBe(false);
    expect(signals('ok.today was long').url).toBe(false);
    expect(signals('e.g. this and i.e. that at 5 p.m.').url).toBe(false);
  });

  it('does not take an e-mail address for a link', () => {
    expect(signals('write to anna@example.com')).toMatchObject({ url: false, email: true });
  });
});

describe('number and money signals', () => {
  it('tells UK premium-rate and freephone numbers from ordinary phone numbers', () => {
    expect(signals('call 09061701461 now')).toMatchObject({ phone: true, premiumNumber: true });
    expect(signals('call +44 9061 701461')).toMatchObject({ phone: true, premiumNumber: true });
    expect(signals('call 08002986030 free')).toMatchObject({ phone: true, freephone: true, premiumNumber: false });
    expect(signals('my number is 07700 900123')).toMatchObject({ phone: true, premiumNumber: false });
  });

  it('does not take a date or a price for a phone number', () => {
    expect(signals('2016-07-08 11:47:11 sisa kuota').phone).toBe(false);
    expect(signals('harga Rp 100.000.000 saja').phone).toBe(false);
  });

  it('sees "text WORD to 8xxxx" and tariffs, but not a free service number', () => {
    expect(signals('Text FA to 87121 to receive entry')).toMatchObject({ shortCodeReply: true });
    expect(signals('only 150p/msg')).toMatchObject({ tariff: true });
    expect(signals('cost 150ppm')).toMatchObject({ tariff: true });
    expect(signals('send SMS to 1166 (FREE) for feedback').shortCodeReply).toBe(false);
  });

  it('sees money in pounds, dollars, rupiah and yuan', () => {
    for (const text of ['win £1000', 'pay $4.15', 'hanya Rp25rb', '奖金五万元', 'fee 2,99 EUR'])
      expect(signals(text).money || signals(text).currencySymbol).toBe(true);
    expect(signals('see you at 5').money).toBe(false);
  });

  it('sees USSD codes', () => {
    expect(signals('Aktifkan di *550*905#').ussd).toBe(true);
  });
});

describe('lure signals', () => {
  it('recognises the pretexts of smishing in several languages', () => {
    expect(signals('Your parcel could not be delivered')).toMatchObject({ parcel: true, deliveryProblem: true });
    expect(signals('unpaid toll balance')).toMatchObject({ toll: true, payment: true });
    expect(signals('You are due a tax refund from HMRC')).toMatchObject({ tax: true });
    expect(signals('Rekening BCA Anda diblokir')).toMatchObject({ bank: true, accountAlert: true });
    expect(signals('您的账户已被冻结')).toMatchObject({ bank: true, accountAlert: true });
    expect(signals('votre colis est en attente')).toMatchObject({ parcel: true, deliveryProblem: true });
  });

  it('recognises "Hi Mum, this is my new number"', () => {
    expect(signals('Hi mum, I lost my phone, this is my new number').familyImpersonation).toBe(true);
    expect(signals('Hi mum, see you at dinner').familyImpersonation).toBe(false);
  });

  it('recognises a one-time code message, and not one with a link', () => {
    expect(signals('Your verification code is 123456').otp).toBe(true);
    expect(signals('您的验证码为 667788，请勿泄露').otp).toBe(true);
    expect(signals('Your code is 123456, confirm at https://x.example').otp).toBe(false);
  });

  it('does not read a word inside another word', () => {
    expect(signals('the bankruptcy hearing').bank).toBe(false);
    expect(signals('I am fine thanks').tax).toBe(false);
  });
});

describe('shouting', () => {
  it('measures the share of capitals and counts capitalised words', () => {
    const s = signals('WINNER!! URGENT CLAIM your prize');
    expect(s.capsRatio).toBeGreaterThan(0.5);
    expect(s.capsWords).toBe(3);
    expect(s.exclamations).toBe(2);
    expect(signals('hello there my friend').capsRatio).toBe(0);
  });

  it('counts capitals of every script, a letter outside the BMP as one, and caseless letters not at all', () => {
    // 4 upper (É, Ω, Ж, 𝐀) of 8 cased letters (é, ω, ж, 𝐚 the lower ones); the Han characters and digits have no case.
    expect(signals('É é Ω ω Ж ж 𝐀 𝐚 中文 123').capsRatio).toBe(0.5);
    expect(signals('ÉCOLE FERMÉE demain').capsRatio).toBeCloseTo(11 / 17);
  });
});

describe('signalFeatures', () => {
  it('turns signals into named presence features, with combinations of lure and action', () => {
    const names = signalFeatures(signals('URGENT: your parcel is held, pay the £2.99 fee at royal-mail-fees.net'));
    expect(names).toEqual(
      expect.arrayContaining([
        'url',
        'url:bare',
        'tld:net',
        'parcel',
        'payment',
        'money',
        'lure:link+parcel',
        'lure:link+payment',
        'lure:action+urgency',
      ]),
    );
    expect(signalFeatures(signals('see you soon'))).toEqual(['len:0']);
  });
});
