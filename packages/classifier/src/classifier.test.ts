import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { classify, createClassifier, loadModel, MODEL_FILE, validateModel } from './classifier';
import { DEFAULT_FEATURE_CONFIG } from './features';
import { trainModel } from './train';
import { SPAM_CATEGORIES, type Classification, type ModelData } from './types';

// Every message below is hand-written for these tests: none is in the corpora, the Chinese
// seeds of the training script, or the evaluation fixture.

const CATEGORIES = [...SPAM_CATEGORIES, 'not_spam'];

function expectWellFormed(c: Classification): void {
  expect(typeof c.spam).toBe('boolean');
  expect(CATEGORIES).toContain(c.category);
  expect(c.category === 'not_spam').toBe(!c.spam);
  expect(c.confidence).toBeGreaterThanOrEqual(0.5);
  expect(c.confidence).toBeLessThanOrEqual(1);
  expect(c.language).toMatch(/^(?:[a-z]{2}|und)$/);
}

describe('the shipped model', () => {
  describe('catches modern smishing it never saw', () => {
    it.each([
      'Evri: we tried to deliver your parcel today but nobody was home. Book a new delivery slot for £0.99 at evri-reschedule.co/parcel',
      'FedEx: your shipment 8837261 is on hold due to unpaid customs duties of $2.30. Settle here: https://fedex-customs-pay.net/8837261',
      'NOTICE: Your toll account has an outstanding balance of $4.15. Pay by tonight to avoid a $35 penalty: txtag-billing.com',
      'Lloyds Bank: your card has been temporarily blocked after unusual activity. Verify your details now at lloyds-secure-check.com',
      'Apple ID: your account is locked for security reasons. Sign in within 24 hours to restore access: https://appleid-unlock.support/login',
    ])('flags %s as smishing', (text) => {
      const c = classify(text);
      expect(c).toMatchObject({ spam: true, category: 'smishing', language: 'en' });
    });

    it('flags a call-back scam posing as a bank, without any link', () => {
      expect(
        classify('Barclays: a payment of £950.00 to J SMITH is pending. If you did not authorise this, call 0161 839 2277 immediately.'),
      ).toMatchObject({
        spam: true,
        category: 'smishing',
      });
    });

    it('flags a link to an Android package as malware', () => {
      expect(classify('Your photos were shared with you. Open the album: http://photo-share.click/view.apk')).toMatchObject({
        spam: true,
        category: 'malware',
      });
    });

    it('reads defanged links (hxxp, [.]) as links', () => {
      expect(classify('Your bank account is suspended. Restore access at hxxps://secure-login[.]xyz/verify')).toMatchObject({
        spam: true,
        category: 'smishing',
      });
    });
  });

  describe('leaves ordinary messages alone', () => {
    it.each([
      'Your login code is 731904. It expires in 10 minutes.',
      "318842 is your WhatsApp code. Don't share it.",
      'Use 660215 to verify your Microsoft account.',
    ])('does not flag the one-time code %s', (text) => {
      expect(classify(text)).toMatchObject({ spam: false, category: 'not_spam' });
    });

    it.each([
      'Thanks for dinner last night, the kids loved it!',
      'Train delayed by 20 min, start without me',
      'Did you remember to feed the cat?',
      'Can you call me back when you get a sec?',
    ])('does not flag the personal text %s', (text) => {
      const c = classify(text);
      expect(c).toMatchObject({ spam: false, category: 'not_spam', language: 'en' });
      expect(c.confidence).toBeGreaterThan(0.9);
    });
  });

  describe('Indonesian', () => {
    it('files a prize scam as fraud', () => {
      expect(
        classify(
          'Selamat! Nomor Anda terpilih sebagai pemenang undian berhadiah mobil dari PT Telkomsel. Hubungi 0812 3456 7890 untuk klaim hadiah Anda.',
        ),
      ).toMatchObject({ spam: true, category: 'fraud', language: 'id' });
    });

    // Known weakness of model 2.0.0 (probability 0.46 at the reported-message operating point): trained on eight
    // corpora, it no longer leans on the Indonesian words alone, and no rule covers "this is Pak Budi, transfer 2jt".
    it.failing('files a "transfer the money to this account" scam as fraud', () => {
      expect(
        classify(
          'Bu, ini saya Pak Budi. Tolong transfer dulu 2jt ke rekening BRI 1234-01-987654-50-3 a/n Sutrisno, nanti saya ganti besok.',
        ),
      ).toMatchObject({
        spam: true,
        category: 'fraud',
      });
    });

    it.each([
      'Nikmati kuota 10GB hanya Rp25rb berlaku 30 hari. Aktifkan sekarang di *363# atau aplikasi MyTelkomsel. S&K berlaku.',
      'Diskon 50% untuk semua menu burger setiap Jumat! Tunjukkan SMS ini di kasir. Promo berlaku s/d 31 Des.',
    ])('files the promotion %s as marketing', (text) => {
      expect(classify(text)).toMatchObject({ spam: true, category: 'marketing', language: 'id' });
    });

    it('does not flag a chat between friends', () => {
      expect(classify('Besok aku nggak bisa ikut rapat, tolong kabari hasilnya ya. Makasih')).toMatchObject({
        spam: false,
        language: 'id',
      });
    });
  });

  describe('Chinese', () => {
    it.each([
      '【京东】您的账户存在安全风险，已被临时冻结，请立即访问 jd-safe-verify.top 进行身份验证，否则将永久停用。',
      '您的包裹派送失败，请点击 http://yunda-kd.vip/x3 重新填写收货地址，逾期将自动退回。',
    ])('flags the smishing %s', (text) => {
      expect(classify(text)).toMatchObject({ spam: true, category: 'smishing', language: 'zh' });
    });

    it('flags a prize scam with a number to call', () => {
      expect(classify('恭喜您获得本月抽奖一等奖，奖金五万元，请致电 13987654321 联系客服办理领奖手续。')).toMatchObject({
        spam: true,
        language: 'zh',
      });
    });

    it.each(['周六我们在公园门口见面，十点钟不见不散。', '这本书我已经看完了，明天还给你。', '你下班了吗？我在超市买点菜，晚饭想吃什么？'])(
      'does not flag the ordinary text %s',
      (text) => {
        expect(classify(text)).toMatchObject({ spam: false, category: 'not_spam', language: 'zh' });
      },
    );
  });

  it('puts premium-rate spam of the UK kind in its own category', () => {
    expect(classify('Ur mobile no. has been picked 4 a £750 bonus! To collect call 09071234567 now. 150p/min, 18+')).toMatchObject({
      spam: true,
      category: 'premium_rate',
    });
  });

  it('answers the same way every time', () => {
    const text = 'URGENT: your parcel is held, pay the £2.99 fee at royal-mail-fees.net';
    expect(classify(text)).toEqual(classify(text));
  });
});

describe('robustness', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['emoji only', '😀😂🎉🔥👍'],
    ['10,000 characters', 'Free prize! '.repeat(834)],
    ['lone surrogates', '\ud800\udfff\udc00abc\ud83d'],
    ['control characters', '\u0000\u0001\u0092\u007f'],
  ])('classifies %s input without throwing', (_, text) => {
    expectWellFormed(classify(text));
  });

  it('never throws on random unicode, and always answers a well-formed classification', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({
            unit: fc.constantFrom(
              'http://',
              'www.',
              '.com',
              'hxxp',
              '[.]',
              '£',
              '09',
              '1',
              ' ',
              '!',
              'WIN',
              '中',
              '奖',
              'ä',
              '\u200b',
              '&lt;',
            ),
            maxLength: 80,
          }),
        ),
        (text) => {
          expectWellFormed(classify(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('treats a non-string as no text instead of throwing', () => {
    expectWellFormed(classify(undefined as unknown as string));
  });
});

describe('model loading', () => {
  it('keeps the artifact beside src/ and dist/ alike, under 5 MB', () => {
    expect(MODEL_FILE).toBe(join(__dirname, '..', 'model', 'model-v1.json'));
    expect(existsSync(MODEL_FILE)).toBe(true);
    expect(statSync(MODEL_FILE).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('records version, creation time, feature config and the sha256 of each training corpus', () => {
    const model = loadModel();
    expect(model.version).toBe('2.0.0');
    expect(Number.isNaN(Date.parse(model.createdAt))).toBe(false);
    expect(model.features.hashBits).toBe(DEFAULT_FEATURE_CONFIG.hashBits);
    expect(model.corpora.map((c) => [c.file, c.sha256])).toEqual(
      expect.arrayContaining([
        ['uci-sms-spam-collection.tsv', '7d039a24a6083ed9ef0f806ebad56bbb976e3aeb8de05669173bfdc4996c239d'],
        ['indonesian-sms-spam-v1.csv', '206e8cb15de401b499df4323c58527e9e6eb9e70608bafabeec3516a6d0d717c'],
        ['chinese-sms-spam-800k-subset.tsv', '643102b41ea1daa066934e7a3d145be1312fa2887e0a31929db0b3a4f8625bf8'],
        ['bengali-sms-spam-telegrambangla.tsv', '5ba7bf7a60d0b5317f0b0e30d8415b1cf5300173c3c41f0b2e3a4b29404697d2'],
      ]),
    );
    expect(model.corpora).toHaveLength(8);
  });

  it('uses an injected model instead of the shipped one', () => {
    const tiny = trainModel(
      [
        ...['banana split tonight', 'banana bread for sale', 'fresh banana deals', 'banana banana'].map((text) => ({ text, spam: true })),
        ...['see you at lunch', 'the meeting moved to three', 'call me later', 'on my way home'].map((text) => ({ text, spam: false })),
      ],
      { features: { ...DEFAULT_FEATURE_CONFIG, hashBits: 14 }, folds: 2, epochs: 30 },
    ).model;
    const injected = createClassifier(tiny);
    expect(injected.classify('banana banana banana').spam).toBe(true);
    expect(injected.classify('see you at lunch').spam).toBe(false);
    expect(classify('banana banana banana').spam).toBe(false);
  });

  it('refuses a model that is not one', () => {
    expect(() => createClassifier({} as ModelData)).toThrow(/invalid spam classifier model/);
    const model = loadModel();
    expect(() => validateModel({ ...model, spam: { ...model.spam, weights: [] } })).toThrow(/spam weights/);
  });
});
