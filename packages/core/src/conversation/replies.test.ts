import fc from 'fast-check';
import { newReportReference } from '../report-reference';
import { smsSize } from '../sms-encoding';
import { isOwnPrompt, renderReply, REPLY_TEMPLATES } from './replies';
import { LANGUAGES, REPLY_KEYS, type Language, type ReplyKey, type ReplyParams } from './types';

const CASES: [ReplyKey, Language][] = REPLY_KEYS.flatMap((key) => LANGUAGES.map((language) => [key, language] as [ReplyKey, Language]));

/** The longest values ReplyParams allows. */
const LONGEST: Required<ReplyParams> = { ref: 'WWWWWWWW', sender: 'Royal Mail Parcels X', shortCode: '12345678', example: 'WWWWWWWW' };
const TYPICAL: Required<ReplyParams> = { ref: 'K7M2PQ9X', sender: '+44 7700 900123', shortCode: '7726', example: 'AB23CD45' };
const SHORT: Required<ReplyParams> = { ref: 'A', sender: 'DHL', shortCode: '88', example: 'B' };

const placeholders = (template: string) => new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

describe('reply catalogue', () => {
  it('has a text for every reply in every language', () => {
    for (const [key, language] of CASES) expect(REPLY_TEMPLATES[key][language].trim()).not.toBe('');
  });

  it('uses the same placeholders for a reply in every language, and only known ones', () => {
    for (const key of REPLY_KEYS) {
      const english = placeholders(REPLY_TEMPLATES[key].en);
      for (const name of english) expect(['ref', 'sender', 'shortCode', 'example']).toContain(name);
      for (const language of LANGUAGES) expect(placeholders(REPLY_TEMPLATES[key][language])).toEqual(english);
    }
  });

  it.each(CASES)('%s/%s fits one SMS segment with the longest parameter values', (key, language) => {
    const { text, coding } = renderReply(key, language, LONGEST);
    const size = smsSize(text);
    expect(size.segments).toBe(1);
    expect(coding).toBe(size.coding);
  });

  it('keeps English, French and Spanish in GSM-7 so they get 160 characters', () => {
    for (const [key, language] of CASES.filter(([, l]) => ['en', 'fr', 'es'].includes(l))) {
      expect({ key, language, coding: renderReply(key, language, LONGEST).coding }).toEqual({ key, language, coding: 'gsm7' });
    }
  });

  it('sends Arabic and Chinese as UCS-2', () => {
    for (const [key, language] of CASES.filter(([, l]) => ['ar', 'zh'].includes(l))) {
      expect(renderReply(key, language, TYPICAL).coding).toBe('ucs2');
    }
  });

  it('fills every placeholder with its value', () => {
    for (const [key, language] of CASES) {
      const { text } = renderReply(key, language, TYPICAL);
      expect(text).not.toMatch(/\{\w+\}/);
      for (const name of placeholders(REPLY_TEMPLATES[key][language])) expect(text).toContain(TYPICAL[name as keyof ReplyParams]);
    }
  });

  it('names the keywords in the local language where it tells subscribers what to send', () => {
    expect(renderReply('help', 'en', TYPICAL).text).toMatch(/STATUS.*STOP/);
    expect(renderReply('help', 'fr', TYPICAL).text).toMatch(/STATUT.*ARRET/);
    expect(renderReply('help', 'es', TYPICAL).text).toMatch(/ESTADO.*PARAR/);
    expect(renderReply('help', 'ar', TYPICAL).text).toMatch(/حالة.*توقف/);
    expect(renderReply('help', 'zh', TYPICAL).text).toMatch(/状态.*停止/);
    expect(renderReply('stopped', 'fr', TYPICAL).text).toContain('DEMARRER');
    expect(renderReply('stopped', 'es', TYPICAL).text).toContain('ALTA');
    expect(renderReply('status_missing_ref', 'zh', TYPICAL).text).toBe('请附上举报编号，例如：状态 AB23CD45');
  });

  it('renders the ask_sender reply with the reference', () => {
    expect(renderReply('ask_sender', 'en', TYPICAL)).toEqual({
      text: 'Thanks for your spam report (ref K7M2PQ9X). Please reply with the phone number or name the spam came from.',
      coding: 'gsm7',
    });
  });

  it('throws when a placeholder has no value', () => {
    for (const [key, language] of CASES) {
      for (const name of placeholders(REPLY_TEMPLATES[key][language])) {
        const params: ReplyParams = { ...TYPICAL };
        delete params[name as keyof ReplyParams];
        expect(() => renderReply(key, language, params)).toThrow(name!);
        expect(() => renderReply(key, language, { ...TYPICAL, [name!]: '' })).toThrow(name!);
      }
    }
  });

  it('does not need parameters a reply does not use', () => {
    expect(renderReply('throttled', 'en', {}).text).toBe('You have sent a lot of messages. Please wait a while before sending more.');
  });

  it('inserts a value that looks like a placeholder as it is', () => {
    expect(renderReply('report_complete', 'en', { ref: 'K7M2PQ9X', sender: '{ref}$&' }).text).toContain('sender {ref}$&.');
  });
});

describe('isOwnPrompt', () => {
  const rendered = CASES.flatMap(([key, language]) =>
    [LONGEST, TYPICAL, SHORT, { ...TYPICAL, ref: newReportReference(), sender: 'BANK' }].map(
      (params) => renderReply(key, language, params).text,
    ),
  );
  const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  it('recognises every reply as sent', () => {
    for (const text of rendered) expect({ text, own: isOwnPrompt(text) }).toEqual({ text, own: true });
  });

  it('recognises replies whatever the case, spacing or compatibility forms', () => {
    for (const text of rendered) {
      const variants = [
        text.toUpperCase(),
        text.toLowerCase(),
        `  ${text}\n`,
        text.replace(/ /g, '  '),
        text.replace(/\. /g, '.\n'),
        fullWidth(text),
        text.replace(/'/g, '’'),
      ];
      for (const variant of variants) expect({ variant, own: isOwnPrompt(variant) }).toEqual({ variant, own: true });
    }
  });

  it('rejects spam and ordinary messages', () => {
    const others = [
      'Your parcel is held, pay at http://x.example',
      'Bonjour, ton colis est bloqué',
      '您的包裹被扣留',
      'ok thanks',
      '+447700900123',
      '07700 900123',
      'BANK',
      'STATUS K7M2PQ9X',
      'STOP',
      '',
      '   ',
      '👍',
      // sharing words with our replies
      'Thanks for your order! Your parcel ref K7M2PQ9X is on its way.',
      'Report K7M2PQ9X: your account is blocked. Call +44 20 7946 0000 now.',
      'Please reply with the number on your card to claim your prize.',
      'Your message was empty? Call me back',
      'Merci pour votre commande. Suivez votre colis sur http://colis.example',
      'Su paquete está retenido. Responda con el código que le enviamos.',
      'شكراً على تعاملك معنا، حسابك موقوف مؤقتاً',
      '感谢您的举报，我们会尽快处理。请点击链接领取奖励',
    ];
    for (const text of others) expect({ text, own: isOwnPrompt(text) }).toEqual({ text, own: false });
  });

  it('rejects a reply with spam added, or a reply cut short', () => {
    const reply = renderReply('ask_sender', 'en', TYPICAL).text;
    expect(isOwnPrompt(`${reply} Click http://x.example to claim your prize.`)).toBe(false);
    expect(isOwnPrompt(reply.slice(0, 40))).toBe(false);
  });

  // How fast: npm run bench (telling a hostile text from our own prompt).
  it('tells a long repeated prompt opening from a prompt', () => {
    expect(isOwnPrompt('Thanks for your spam report (ref '.repeat(200))).toBe(false);
  });

  it('never throws, whatever the text', () => {
    const fragments = fc.constantFrom(...Object.values(REPLY_TEMPLATES.help), ' ', '{ref}', '(', '\\', '\uD800', '\u0301');
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fragments }));
    fc.assert(fc.property(text, (t) => typeof isOwnPrompt(t) === 'boolean'));
  });
});
