import fc from 'fast-check';
import { exactFingerprint, hammingDistance, NEAR_DUPLICATE_MAX_DISTANCE, SIMHASH_BANDS, simhash, simhashBands } from './fingerprint';
import { maskText, normaliseText } from './normalise';

const fingerprintOf = (text: string): string => simhash(maskText(normaliseText(text)));
const distance = (a: string, b: string): number => hammingDistance(fingerprintOf(a), fingerprintOf(b));

/**
 * Campaigns as they are reported: `variants` differ only in what masking
 * removes (links, amounts, names, codes, numbers, case, spacing); `edits`
 * change, add or drop one or two words, as spammers' templates do.
 */
const CAMPAIGNS = {
  uspsParcel: {
    variants: [
      'USPS: Your package is held at our warehouse due to an incomplete address. Pay $1.99 at https://usps-redelivery.top/track?id=8f3k2 within 24 hours.',
      'usps: your package is held at our warehouse due to an incomplete address.  pay $2.49 at usps-parcel-help.com/t/9dk2Lq within 12 hours.',
      'USPS: Your package is held at our warehouse due to an incomplete address. Pay $0.99 at hxxps://uspsx[.]xyz/a within 48 hours.',
    ],
    edits: [
      'USPS: Your parcel is held at our warehouse due to an incomplete address. Pay $1.99 at https://x.top/a within 24 hours.',
      'USPS: Your package is held at our warehouse due to incomplete address. Pay $1.99 at https://x.top/a within 24 hours!',
      'USPS: Your package is held at our warehouse due to an incomplete address. Please pay $1.99 at https://x.top/a within 24 hours.',
    ],
  },
  royalMail: {
    variants: [
      'Royal Mail: Your parcel RM483920GB has a £1.45 unpaid shipping fee. Visit royalmail-reschedule.com to arrange delivery.',
      'ROYAL MAIL: Your parcel RM77TT12GB has a £2.99 unpaid shipping fee. Visit rm-redeliver.info to arrange delivery.',
      'Royal Mail: Your parcel kk92mm11 has a £1.20 unpaid shipping fee. Visit https://royal-mail.uk-track.net/pay to arrange delivery.',
    ],
    edits: [
      'Royal Mail: Your parcel RM483920GB has a £1.45 unpaid shipping fee. Visit royalmail-reschedule.com to arrange redelivery.',
      'Royal Mail: your parcel RM483920GB has a £1.45 unpaid fee. Visit royalmail-reschedule.com to arrange delivery.',
      'RoyalMail: Your parcel RM483920GB has a £1.45 unpaid shipping fee. Visit royalmail-reschedule.com to arrange delivery',
    ],
  },
  hiMum: {
    variants: [
      'Hi Mum, I dropped my phone in the toilet, this is my new number. Can you message me on WhatsApp at +44 7911 123456 please',
      'Hi Dad, I dropped my phone in the toilet, this is my new number. Can you message me on WhatsApp at +44 7700 900456 please',
      'hi mum,  i dropped my phone in the toilet, this is my new number. can you message me on whatsapp at 07911 654321 please',
    ],
    edits: [
      'Hi Mum, I dropped my phone in the toilet, this is my new number. Can you text me on WhatsApp at +44 7911 123456 please',
      'Hi Mum, I dropped my phone in the toilet, this is my new number! Can you message me on WhatsApp at +44 7911 123456 pls',
      'Hello Mum, I dropped my phone in the toilet, this is my new number. Can you message me on WhatsApp at +44 7911 123456 please x',
    ],
  },
  bankLocked: {
    variants: [
      'HSBC: Your bank account has been locked due to unusual activity. Call 0800 123 4567 immediately to verify your identity.',
      'HSBC: Your bank account has been locked due to unusual activity. Call 0808 987 6543 immediately to verify your identity.',
    ],
    edits: [
      'HSBC: Your account has been locked due to unusual activity. Call 0800 123 4567 immediately to verify your identity.',
      'HSBC: Your bank account has been suspended due to unusual activity. Call 0800 123 4567 immediately to verify your identity.',
      'HSBC ALERT: Your bank account has been locked due to unusual activity. Call 0800 123 4567 immediately to verify your identity.',
    ],
  },
  prize: {
    variants: [
      'Congratulations! You have won a £1000 Tesco gift card. Claim your prize now at tesco-winners.com/claim?ref=A7B8C9 before it expires.',
      'CONGRATULATIONS! You have won a £500 Tesco gift card. Claim your prize now at bit.ly/3xYzQ before it expires.',
    ],
    edits: [
      'Congratulations! You have won a £1000 Tesco gift card! Claim your prize now at bit.ly/3xYzQ before it expires.',
      'Congratulations! You have won a £1000 Tesco voucher. Claim your prize now at bit.ly/3xYzQ before it expires.',
      'Congratulations! You have won a £1000 Tesco gift card. Claim your reward now at bit.ly/3xYzQ before it expires.',
    ],
  },
  taxRefund: {
    variants: [
      'HMRC: You are due a tax refund of £312.60. To claim, complete the form at hmrc-refund-gov.co.uk/claim by 12/05/2024.',
      'HMRC: You are due a tax refund of £98.10. To claim, complete the form at gov-uk-refunds.com by 30/06/2024.',
    ],
    edits: [
      'HMRC: You are due a tax rebate of £312.60. To claim, complete the form at hmrc-refund-gov.co.uk/claim by 12/05/2024.',
      'HMRC: You are due a tax refund of £312.60. To claim it, complete the form at hmrc-refund-gov.co.uk/claim by 12/05/2024.',
      'HMRC NOTICE: You are due a tax refund of £312.60. To claim, complete the form at hmrc-refund-gov.co.uk/claim by 12/05/2024.',
    ],
  },
  chineseParcel: {
    variants: [
      '【顺丰速运】您的包裹因地址不详被扣留，请在24小时内访问 http://sf-express.top/a8k2 更新地址并支付5元手续费。',
      '【顺丰速运】您的包裹因地址不详被扣留，请在48小时内访问 http://sf-exp.xyz/b9 更新地址并支付3元手续费。',
    ],
    edits: [
      '【顺丰速运】您的快递因地址不详被扣留，请在24小时内访问 http://sf-express.top/a8k2 更新地址并支付5元手续费。',
      '【顺丰】您的包裹因地址不详被扣留，请在24小时内访问 http://sf-express.top/a8k2 更新地址并支付5元手续费。',
      '【顺丰速运】您的包裹因地址不详被扣留,请在24小时内访问 http://sf-express.top/a8k2 更新地址并支付5元手续费!',
    ],
  },
  chineseBank: {
    variants: [
      '【工商银行】尊敬的客户，您的账户存在异常，已被冻结。请立即登录 icbc-safe.cc 进行身份验证，以免影响使用。',
      '【工商银行】尊敬的客户，您的账户存在异常，已被冻结。请立即登录 https://icbc-verify.top/x 进行身份验证，以免影响使用。',
    ],
    edits: [
      '【工商银行】尊敬的用户，您的账户存在异常，已被冻结。请立即登录 icbc-safe.cc 进行身份验证，以免影响使用。',
      '【工商银行】尊敬的客户，您的账户存在异常，已被冻结。请尽快登录 icbc-safe.cc 进行身份验证，以免影响使用。',
    ],
  },
  indonesianPrize: {
    variants: [
      'Selamat! Nomor Anda memenangkan hadiah Rp 100.000.000 dari Shopee. Hubungi admin di wa.me/6281234567890 untuk klaim hadiah.',
      'SELAMAT! Nomor Anda memenangkan hadiah 50.000.000 rupiah dari Shopee. Hubungi admin di wa.me/6285712345678 untuk klaim hadiah.',
    ],
    edits: [
      'Selamat! Nomor Anda memenangkan hadiah Rp 100.000.000 dari Shopee. Segera hubungi admin di wa.me/6281234567890 untuk klaim hadiah.',
      'Selamat! Nomor anda mendapatkan hadiah Rp 100.000.000 dari Shopee. Hubungi admin di wa.me/6281234567890 untuk klaim hadiah.',
    ],
  },
  frenchParcel: {
    variants: [
      'Bonjour Marie, votre colis n°FR8842X9 est en attente. Des frais de 1,99€ sont requis : colis-laposte-suivi.fr/paiement',
      'Bonjour Pierre, votre colis n°ZZ12K7Q8 est en attente. Des frais de 2,50€ sont requis : https://lp-suivi.info/p',
    ],
    edits: [
      'Bonjour Marie, votre colis n°FR8842X9 est bloqué. Des frais de 1,99€ sont requis : colis-laposte-suivi.fr/paiement',
      'Bonjour Marie, votre colis n°FR8842X9 est en attente. Des frais de 1,99€ sont nécessaires : colis-laposte-suivi.fr/paiement',
    ],
  },
  missedDelivery: {
    variants: ['Evri: We missed you today. Your parcel will be returned unless you reschedule at evri-redelivery.com/uk within 48 hours.'],
    edits: [
      'Evri: We missed you today. Your parcel will be returned to sender unless you reschedule at evri-redelivery.com/uk within 48 hours.',
      'EVRI: Sorry we missed you today. Your parcel will be returned unless you reschedule at evri-redelivery.com/uk within 48 hours.',
    ],
  },
  deliveryFee: {
    variants: [
      'DPD: Your delivery is scheduled for today. Your parcel will be returned unless you pay the £2.99 fee at dpd-uk-fee.com within 24 hours.',
    ],
    edits: [],
  },
} satisfies Record<string, { variants: string[]; edits: string[] }>;

const campaigns = Object.values(CAMPAIGNS);

describe('exactFingerprint', () => {
  it('is the SHA-256 of the masked text, in hex', () => {
    expect(exactFingerprint('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(exactFingerprint('pay <amount> at <url>')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for variants that masking makes identical, and differs otherwise', () => {
    const prints = (texts: string[]) => new Set(texts.map((t) => exactFingerprint(maskText(normaliseText(t)))));
    expect(prints(CAMPAIGNS.uspsParcel.variants).size).toBe(1);
    expect(prints(campaigns.map((c) => c.variants[0]!)).size).toBe(campaigns.length);
  });
});

describe('simhash', () => {
  it('gives 16 hex digits, the same each time', () => {
    const text = maskText(normaliseText(CAMPAIGNS.prize.variants[0]!));
    expect(simhash(text)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(text)).toBe(simhash(text));
  });

  it('handles texts shorter than a shingle, and the empty text', () => {
    expect(simhash('')).toBe('0000000000000000');
    expect(simhash('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash('ab')).not.toBe(simhash('ba'));
  });

  it('puts variants of a campaign that differ in links, amounts, names, codes, numbers, case and spacing at distance 0', () => {
    for (const { variants } of campaigns) {
      for (const variant of variants) expect(distance(variants[0]!, variant)).toBe(0);
    }
  });

  it('keeps most one-word edits of a campaign within the near-duplicate threshold', () => {
    // An SMS has only about a hundred trigrams, so one changed word moves several
    // bits: the threshold trades these edits against unrelated texts (next test).
    const distances = campaigns.flatMap(({ variants, edits }) => edits.map((edit) => distance(variants[0]!, edit)));
    const within = distances.filter((d) => d <= NEAR_DUPLICATE_MAX_DISTANCE).length;
    expect(within / distances.length).toBeGreaterThanOrEqual(0.6);
    expect(Math.max(...distances)).toBeLessThanOrEqual(2 * NEAR_DUPLICATE_MAX_DISTANCE);
  });

  it('keeps unrelated spam (parcel, prize, bank, tax, family, Chinese, Indonesian, French) far beyond the threshold', () => {
    const names = Object.keys(CAMPAIGNS) as (keyof typeof CAMPAIGNS)[];
    for (const [i, a] of names.entries()) {
      for (const b of names.slice(i + 1)) {
        for (const x of [...CAMPAIGNS[a].variants, ...CAMPAIGNS[a].edits]) {
          for (const y of [...CAMPAIGNS[b].variants, ...CAMPAIGNS[b].edits])
            expect(distance(x, y)).toBeGreaterThan(2 * NEAR_DUPLICATE_MAX_DISTANCE);
        }
      }
    }
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('00000000f0000000', '0000000000000000')).toBe(4);
  });

  it('refuses what is not a SimHash', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
    expect(() => hammingDistance('000000000000000G', '0000000000000000')).toThrow(RangeError);
  });
});

const hash64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString(16).padStart(16, '0'));
const flip = (hash: string, bits: number[]): string => {
  let value = BigInt(`0x${hash}`);
  for (const bit of bits) value ^= 1n << BigInt(bit);
  return value.toString(16).padStart(16, '0');
};

describe('simhashBands', () => {
  it(`cuts the hash into ${SIMHASH_BANDS} keyed bands by default`, () => {
    expect(simhashBands('0123456789abcdef')).toHaveLength(SIMHASH_BANDS);
    expect(simhashBands('ffffffffffffffff', 4)).toEqual(['b0:ffff', 'b1:ffff', 'b2:ffff', 'b3:ffff']);
    expect(simhashBands('0123456789abcdef', 4)).toEqual(['b0:0123', 'b1:4567', 'b2:89ab', 'b3:cdef']);
    // 64 = 11 + 11 + 11 + 11 + 10 + 10
    expect(simhashBands('ffffffffffffffff', 6)).toEqual(['b0:7ff', 'b1:7ff', 'b2:7ff', 'b3:7ff', 'b4:3ff', 'b5:3ff']);
  });

  it('shares a band between any two hashes within the near-duplicate threshold', () => {
    fc.assert(
      fc.property(hash64, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: NEAR_DUPLICATE_MAX_DISTANCE }), (hash, bits) => {
        const near = flip(hash, bits);
        expect(hammingDistance(hash, near)).toBe(bits.length);
        const keys = new Set(simhashBands(hash));
        expect(simhashBands(near).some((key) => keys.has(key))).toBe(true);
      }),
    );
  });

  it('shares a band for fewer differing bits than bands, whatever the number of bands', () => {
    const case_ = fc
      .integer({ min: 1, max: 64 })
      .chain((bands) => fc.tuple(fc.constant(bands), hash64, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: bands - 1 })));
    fc.assert(
      fc.property(case_, ([bands, hash, bits]) => {
        const keys = new Set(simhashBands(hash, bands));
        expect(simhashBands(flip(hash, bits), bands).some((key) => keys.has(key))).toBe(true);
      }),
    );
  });

  it('can share no band once every band has a differing bit, so the threshold is tight', () => {
    // One bit in each of the six bands (widths 11, 11, 11, 11, 10, 10, from the top).
    const far = flip('0000000000000000', [63, 52, 41, 30, 19, 9]);
    const keys = new Set(simhashBands('0000000000000000'));
    expect(simhashBands(far).some((key) => keys.has(key))).toBe(false);
  });

  it('refuses a band count outside 1–64 and malformed hashes', () => {
    expect(() => simhashBands('0000000000000000', 0)).toThrow(RangeError);
    expect(() => simhashBands('0000000000000000', 65)).toThrow(RangeError);
    expect(() => simhashBands('0000000000000000', 2.5)).toThrow(RangeError);
    expect(() => simhashBands('xyz')).toThrow(RangeError);
  });
});
