import fc from 'fast-check';
import { KEYWORDS, parseMessage, SENDER_UNKNOWN_PHRASES } from './parse-message';
import type { ParsedMessage } from './types';

const GB = { defaultCountry: 'GB' };
const parse = (text: string, options: Parameters<typeof parseMessage>[1] = GB) => parseMessage(text, options);

const KINDS: ReadonlyArray<ParsedMessage['kind']> = [
  'keyword',
  'report_with_sender',
  'sender',
  'sender_unknown',
  'own_prompt',
  'empty',
  'unclear',
  'spam',
];

describe('parseMessage', () => {
  describe('empty messages', () => {
    it.each([
      ['nothing', ''],
      ['whitespace', ' \n\t '],
      ['only emoji', '😡😡😡'],
      ['emoji with skin tones and joiners', '👍🏽 👨‍👩‍👧'],
      ['only punctuation', '...!!!'],
      ['only symbols', '€ → ©'],
      ['full-width spaces', '\u3000\u3000'],
    ])('reads %s as empty', (_, text) => {
      expect(parse(text)).toEqual({ kind: 'empty' });
    });

    it('does not ask whether an empty message is one of our prompts', () => {
      const isOwnPrompt = jest.fn(() => true);
      expect(parse('  ', { defaultCountry: 'GB', isOwnPrompt })).toEqual({ kind: 'empty' });
      expect(isOwnPrompt).not.toHaveBeenCalled();
    });
  });

  describe('our own prompts forwarded back', () => {
    const isOwnPrompt = (text: string) => text.startsWith('Thanks for report');
    const options = { defaultCountry: 'GB', isOwnPrompt };

    it('recognises one of our replies', () => {
      expect(parse('Thanks for report K7P2QX9M. Reply with the number or name it came from.', options)).toEqual({ kind: 'own_prompt' });
    });

    it('checks our prompts before keywords', () => {
      expect(parse('STOP', { defaultCountry: 'GB', isOwnPrompt: () => true })).toEqual({ kind: 'own_prompt' });
    });

    it('passes other texts on', () => {
      expect(parse('HSBC', options)).toMatchObject({ kind: 'sender' });
    });
  });

  describe('keywords', () => {
    it.each([
      ['HELP', 'en'],
      ['help', 'en'],
      ['Help!', 'en'],
      ['INFO', undefined],
      ['AIDE', 'fr'],
      ['aide', 'fr'],
      ['AYUDA', 'es'],
      ['¿Ayuda?', 'es'],
      ['مساعدة', 'ar'],
      ['مساعده', 'ar'],
      ['帮助', 'zh'],
      ['幫助', 'zh'],
      ['ＨＥＬＰ', 'en'],
    ])('reads %s as HELP', (text, language) => {
      expect(parse(text)).toEqual({ kind: 'keyword', command: 'help', argument: '', language });
    });

    it('reads HELP with a short argument', () => {
      expect(parse('help me please')).toEqual({ kind: 'keyword', command: 'help', argument: 'me please', language: 'en' });
      expect(parse('INFO 7726')).toEqual({ kind: 'keyword', command: 'help', argument: '7726', language: undefined });
      expect(parse('帮助 举报')).toEqual({ kind: 'keyword', command: 'help', argument: '举报', language: 'zh' });
    });

    it('reads a spam that merely begins with Help as spam', () => {
      const spam = 'Help us help you: your account needs verifying at https://hsbc-secure.help';
      expect(parse(spam)).toEqual({ kind: 'spam', text: spam });
      expect(parse('Help! I am stuck abroad, please send money')).toMatchObject({ kind: 'spam' });
      expect(parse('Info: your parcel is held at the depot')).toMatchObject({ kind: 'spam' });
    });

    it.each([
      ['STATUS K7P2QX9M', 'K7P2QX9M', 'en'],
      ['status k7p2qx9m', 'k7p2qx9m', 'en'],
      ['Status: K7P2QX9M.', 'K7P2QX9M', 'en'],
      ['STATUS', '', 'en'],
      ['STATUT K7P2QX9M', 'K7P2QX9M', 'fr'],
      ['statut', '', 'fr'],
      ['ESTADO K7P2QX9M', 'K7P2QX9M', 'es'],
      ['حالة K7P2QX9M', 'K7P2QX9M', 'ar'],
      ['حاله K7P2QX9M', 'K7P2QX9M', 'ar'],
      ['状态 K7P2QX9M', 'K7P2QX9M', 'zh'],
      ['状态K7P2QX9M', 'K7P2QX9M', 'zh'],
      ['狀態：K7P2QX9M', 'K7P2QX9M', 'zh'],
    ])('reads %s as STATUS with its reference', (text, argument, language) => {
      expect(parse(text)).toEqual({ kind: 'keyword', command: 'status', argument, language });
    });

    it('reads STATUS with a long argument as spam', () => {
      const spam = 'Status update: your parcel could not be delivered, reschedule at evri-redelivery.com';
      expect(parse(spam)).toEqual({ kind: 'spam', text: spam });
      expect(parse('ESTADO de su cuenta: bloqueada temporalmente')).toMatchObject({ kind: 'spam' });
    });

    it.each([
      ['STOP', undefined],
      ['stop', undefined],
      ['Stop.', undefined],
      ['STOP!', undefined],
      [' stop ', undefined],
      ['ARRET', 'fr'],
      ['arrêt', 'fr'],
      ['ARRÊT', 'fr'],
      ['PARAR', 'es'],
      ['baja', 'es'],
      ['توقف', 'ar'],
      ['إيقاف', 'ar'],
      ['停止', 'zh'],
      ['TD', 'zh'],
      ['td', 'zh'],
      ['退订', 'zh'],
    ])('reads %s as STOP', (text, language) => {
      expect(parse(text)).toEqual({ kind: 'keyword', command: 'stop', argument: '', language });
    });

    it('reads STOP only as the whole message', () => {
      const spam = 'Stop paying too much for your energy! Switch today at cheap-energy.co.uk';
      expect(parse(spam)).toEqual({ kind: 'spam', text: spam });
      expect(parse('Stop paying too much')).toMatchObject({ kind: 'spam' });
      expect(parse('停止服务请回复，您的账户已被冻结')).toMatchObject({ kind: 'spam' });
    });

    it.each([
      ['START', undefined],
      ['start', undefined],
      ['DEMARRER', 'fr'],
      ['démarrer', 'fr'],
      ['DÉMARRER', 'fr'],
      ['ALTA', 'es'],
      ['inicio', 'es'],
      ['ابدأ', 'ar'],
      ['ابدا', 'ar'],
      ['开始', 'zh'],
    ])('reads %s as START', (text, language) => {
      expect(parse(text)).toEqual({ kind: 'keyword', command: 'start', argument: '', language });
    });

    it('reads START only as the whole message', () => {
      expect(parse('Start earning £500 a day from home, reply YES')).toMatchObject({ kind: 'spam' });
    });

    it('does not read a keyword glued to other letters', () => {
      expect(parse('HELPDESK')).toMatchObject({ kind: 'sender', sender: { value: 'HELPDESK' } });
      expect(parse('Stopcock')).toMatchObject({ kind: 'sender' });
    });

    it('keeps the keywords as data, one language per word', () => {
      const words = Object.values(KEYWORDS).flatMap((k) => Object.values(k.words).flat());
      expect(words.length).toBeGreaterThanOrEqual(25);
      for (const definition of Object.values(KEYWORDS)) expect(typeof definition.takesArgument).toBe('boolean');
    });
  });

  describe('a report with its sender in one message', () => {
    it('reads SPAM <number> <text>', () => {
      expect(parse('SPAM 07700900123 Your parcel is waiting: https://evri-redelivery.com')).toEqual({
        kind: 'report_with_sender',
        sender: { kind: 'msisdn', value: '+447700900123', display: '07700900123' },
        text: 'Your parcel is waiting: https://evri-redelivery.com',
      });
    });

    it('reads a number written in several words', () => {
      expect(parse('spam +44 7700 900123 WINNER!! claim your prize, call 09061234567')).toEqual({
        kind: 'report_with_sender',
        sender: { kind: 'msisdn', value: '+447700900123', display: '+44 7700 900123' },
        text: 'WINNER!! claim your prize, call 09061234567',
      });
    });

    it('reads a short code or a sender ID', () => {
      expect(parse('Spam 60123 2 days left to claim your refund')).toMatchObject({
        kind: 'report_with_sender',
        sender: { kind: 'short_code', value: '60123' },
        text: '2 days left to claim your refund',
      });
      expect(parse('SPAM HSBC Your card has been blocked, call 02071234567')).toMatchObject({
        kind: 'report_with_sender',
        sender: { kind: 'alphanumeric', value: 'HSBC' },
        text: 'Your card has been blocked, call 02071234567',
      });
      expect(parse('SPAM: "INFO SMS" Vous avez gagné !')).toMatchObject({
        kind: 'report_with_sender',
        sender: { kind: 'alphanumeric', value: 'INFO SMS' },
        text: 'Vous avez gagné !',
      });
    });

    it('reads <sender>*<text>, as 12321 accepts it', () => {
      expect(parse('10690123456789*【顺丰】您的包裹地址有误，请点击 http://x.cn 更新', { defaultCountry: 'CN' })).toEqual({
        kind: 'report_with_sender',
        sender: { kind: 'short_code', value: '10690123456789', display: '10690123456789' },
        text: '【顺丰】您的包裹地址有误，请点击 http://x.cn 更新',
      });
      expect(parse('13800138000＊您的账户已被冻结', { defaultCountry: 'CN' })).toMatchObject({
        kind: 'report_with_sender',
        sender: { kind: 'msisdn', value: '+8613800138000' },
        text: '您的账户已被冻结',
      });
      expect(parse('AMAZON*Your order #123 is on hold')).toMatchObject({
        kind: 'report_with_sender',
        sender: { value: 'AMAZON' },
        text: 'Your order #123 is on hold',
      });
    });

    it('keeps the spam text verbatim', () => {
      expect(parse('SPAM 60123  ＷＩＮ ａ ｐｒｉｚｅ ﬁrst  ')).toMatchObject({
        kind: 'report_with_sender',
        text: 'ＷＩＮ ａ ｐｒｉｚｅ ﬁrst',
      });
    });

    it('reads the whole message as spam when the sender does not parse', () => {
      const spam = 'SPAM!!! ALERT: your account ***suspended*** verify now';
      expect(parse(spam)).toEqual({ kind: 'spam', text: spam });
      expect(parse('Spam alert: your bank account was locked')).toEqual({ kind: 'spam', text: 'Spam alert: your bank account was locked' });
      expect(parse('SPAM ??? you won')).toEqual({ kind: 'spam', text: 'SPAM ??? you won' });
      expect(parse('Congratulations!*You won a prize')).toEqual({ kind: 'spam', text: 'Congratulations!*You won a prize' });
    });

    it('does not take an asterisk inside a text for the separator', () => {
      expect(parse('Dial *123# to claim your free minutes now')).toMatchObject({ kind: 'spam' });
      expect(parse('Text WIN*to 80080 to enter the £1000 draw')).toMatchObject({ kind: 'spam' });
      expect(parse('*FREE*')).toMatchObject({ kind: 'unclear' });
    });

    it('reads SPAM <sender> with no text as the sender', () => {
      expect(parse('SPAM 60123')).toEqual({ kind: 'sender', sender: { kind: 'short_code', value: '60123', display: '60123' } });
    });
  });

  describe('"I don\'t know"', () => {
    it.each([
      ['idk', 'en'],
      ['IDK', 'en'],
      ['dunno', 'en'],
      ["don't know", 'en'],
      ['Dont know', 'en'],
      ['I don’t know.', 'en'],
      ['unknown', 'en'],
      ['Unknown', 'en'],
      ['no idea!', 'en'],
      ['je ne sais pas', 'fr'],
      ['Sais pas', 'fr'],
      ['inconnu', 'fr'],
      ['Aucune idée', 'fr'],
      ['no sé', 'es'],
      ['No se', 'es'],
      ['desconocido', 'es'],
      ['¿No sé?', 'es'],
      ['不知道', 'zh'],
      ['未知', 'zh'],
      ['不知道。', 'zh'],
      ['لا أعرف', 'ar'],
      ['لا اعرف', 'ar'],
      ['?', undefined],
      ['??', undefined],
      ['？', undefined],
      ['؟', undefined],
    ])('reads %s as sender unknown', (text, language) => {
      expect(parse(text)).toEqual({ kind: 'sender_unknown', language });
    });

    it('lists every language', () => {
      for (const language of ['en', 'fr', 'es', 'ar', 'zh'] as const) expect(SENDER_UNKNOWN_PHRASES[language]?.length).toBeGreaterThan(0);
    });
  });

  describe('a sender on its own', () => {
    it.each([
      ['07700 900123', { kind: 'msisdn', value: '+447700900123', display: '07700 900123' }],
      ['+44 7700 900123', { kind: 'msisdn', value: '+447700900123', display: '+44 7700 900123' }],
      ['7726', { kind: 'short_code', value: '7726', display: '7726' }],
      ['60123', { kind: 'short_code', value: '60123', display: '60123' }],
      ['HSBC', { kind: 'alphanumeric', value: 'HSBC', display: 'HSBC' }],
      ['Amazon', { kind: 'alphanumeric', value: 'AMAZON', display: 'Amazon' }],
      ['DHL-Express', { kind: 'alphanumeric', value: 'DHL-EXPRESS', display: 'DHL-Express' }],
      ['"Royal Mail"', { kind: 'alphanumeric', value: 'ROYAL MAIL', display: 'Royal Mail' }],
      ['from: +44 7700 900123', { kind: 'msisdn', value: '+447700900123', display: '+44 7700 900123' }],
    ])('reads %s as a sender', (text, sender) => {
      expect(parse(text)).toEqual({ kind: 'sender', sender });
    });

    it('reads national numbers in the operator country', () => {
      expect(parse('06 12 34 56 78', { defaultCountry: 'FR' })).toMatchObject({ kind: 'sender', sender: { value: '+33612345678' } });
      expect(parse('expéditeur : La Poste', { defaultCountry: 'FR' })).toMatchObject({ kind: 'sender', sender: { value: 'LA POSTE' } });
      expect(parse('remitente: Correos', { defaultCountry: 'ES' })).toMatchObject({ kind: 'sender', sender: { value: 'CORREOS' } });
      expect(parse('发件人：95588', { defaultCountry: 'CN' })).toMatchObject({
        kind: 'sender',
        sender: { kind: 'short_code', value: '95588' },
      });
      expect(parse('٠٥٠١٢٣٤٥٦٧', { defaultCountry: 'AE' })).toMatchObject({ kind: 'sender', sender: { value: '+971501234567' } });
    });

    it('reads ordinary short words as senders too: we cannot tell them from sender IDs', () => {
      expect(parse('thanks')).toMatchObject({ kind: 'sender', sender: { value: 'THANKS' } });
    });
  });

  describe('spam forwards', () => {
    it.each([
      ['parcel smishing', 'Royal Mail: your parcel has a £1.99 unpaid fee. Pay now at royalmail-fee.com or it will be returned.'],
      ['toll smishing', 'DVLA: unpaid toll charge. Avoid a penalty: https://dvla-tolls.info/pay'],
      ['bank smishing', 'HSBC: a new payee was added. If this was NOT you visit www.hsbc-secure-payee.com'],
      ['a premium-rate prize', 'WINNER!! claim your prize, call 09061234567'],
      ['Chinese parcel smishing', '【顺丰】您的包裹地址有误，请点击 http://x.cn 更新'],
      ['Chinese without a link', '【工商银行】您的积分即将清零请尽快兑换'],
      ['Chinese, long', '您的账户存在异常交易风险，请立即联系客服处理'],
      ['Arabic', 'عزيزي العميل، تم إيقاف بطاقتك البنكية، يرجى تحديث بياناتك عبر الرابط'],
      ['Arabic with a link', 'مبروك! ربحت جائزة bit.ly/3xYz'],
      ['French', 'Votre colis est en attente, payez les frais de livraison : https://laposte-suivi.fr'],
      ['Spanish', 'Correos: su paquete está retenido. Pague 1,99 EUR en correos-envio.es'],
      ['a bare link', 'bit.ly/3xYz'],
      ['a bare domain', 'evri-redelivery.com'],
      ['a www address', 'www.x.top'],
      ['four short words', 'you won a car'],
      ['one long word', 'Congratulations-you-have-won'],
    ])('reads %s as spam, verbatim', (_, text) => {
      expect(parse(text)).toEqual({ kind: 'spam', text });
    });

    it('keeps the trimmed original, not the normalised text', () => {
      const text = 'ＷＩＮＮＥＲ！！ Claim your ﬁrst prize at www.x.com';
      expect(parse(`  ${text}\n`)).toEqual({ kind: 'spam', text });
    });

    it('reads a 5,000-character text as spam', () => {
      const text = 'URGENT your account is suspended '.repeat(160).slice(0, 5000).trim();
      expect(parse(text)).toEqual({ kind: 'spam', text });
      expect(parse(`Help ${text}`)).toMatchObject({ kind: 'spam' });
      expect(parse(`STATUS ${text}`)).toMatchObject({ kind: 'spam' });
      // SPAM <word> <text>: the first word is taken for the sender, as the form says
      expect(parse(`SPAM ${text}`)).toMatchObject({ kind: 'report_with_sender', sender: { value: 'URGENT' } });
      expect(parse(`SPAM ¡${text}`)).toMatchObject({ kind: 'spam' });
      expect(parse('x'.repeat(5000))).toMatchObject({ kind: 'spam' });
      expect(parse('7'.repeat(5000))).toMatchObject({ kind: 'spam' });
    });

    // How fast: npm run bench (reading a hostile text).
    it('reads long adversarial texts as one of its kinds', () => {
      const texts = [
        'a-'.repeat(25_000),
        'a.'.repeat(25_000),
        `HELP ${' '.repeat(50_000)}x`,
        `SPAM ${'1 '.repeat(25_000)}`,
        'a*'.repeat(25_000),
        `${'?'.repeat(50_000)}x`,
      ];
      for (const text of texts) expect(KINDS).toContain(parse(text).kind);
    });
  });

  describe('unclear messages', () => {
    it.each(['wrong number', 'what is this?', 'ok 👍', '谢谢', 'شكرا لك', '¿qué es esto?', "merci, c'est tout"])(
      'reads %s as unclear',
      (text) => {
        expect(parse(text)).toEqual({ kind: 'unclear', text });
      },
    );

    it('keeps the trimmed original', () => {
      expect(parse('  wrong number \n')).toEqual({ kind: 'unclear', text: 'wrong number' });
    });
  });

  describe('properties', () => {
    const token = fc.constantFrom(
      'SPAM',
      'spam',
      'HELP',
      'STOP',
      'status',
      '状态',
      'توقف',
      '*',
      '＊',
      '?',
      '+44',
      '7700',
      '900123',
      '07700900123',
      '60123',
      'HSBC',
      'from:',
      '"',
      '«',
      'http://x.cn',
      'www.',
      '.com',
      '😀',
      '👨‍👩‍👧',
      '\u0301',
      '\uD800',
      'ß',
      'é',
      'idk',
      'no sé',
      '不知道',
      ' ',
      '\n',
      '',
    );
    const phrase = fc.tuple(fc.array(token, { maxLength: 8 }), fc.constantFrom(' ', '')).map(([parts, glue]) => parts.join(glue));
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      phrase,
      fc.array(token).map((t) => t.join(' ')),
    );

    it('never throws and always returns one of the kinds', () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom('GB', 'FR', 'ES', 'CN', 'AE', 'XX'), fc.boolean(), (text, defaultCountry, prompt) => {
          const parsed = parseMessage(text, { defaultCountry, isOwnPrompt: prompt ? (t) => t.includes('HELP') : undefined });
          expect(KINDS).toContain(parsed.kind);
          if (parsed.kind === 'spam' || parsed.kind === 'unclear' || parsed.kind === 'report_with_sender')
            expect(parsed.text.length).toBeGreaterThan(0);
        }),
        { numRuns: 3000 },
      );
    });

    const ukMobile = fc
      .tuple(fc.constantFrom('71', '73', '74', '75', '77', '78', '79'), fc.stringMatching(/^[0-9]{8}$/))
      .map(([p, rest]) => `${p}${rest}`);
    const written = fc.tuple(
      ukMobile,
      fc.constantFrom<Array<(n: string) => string>>(
        (n) => `+44${n}`,
        (n) => `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
        (n) => `0${n}`,
        (n) => `0${n.slice(0, 4)} ${n.slice(4)}`,
        (n) => `0${n.slice(0, 4)}-${n.slice(4)}`,
        (n) => `0044 ${n}`,
        (n) => `44${n}`,
      ),
    );
    const spamText = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((t) => t.trim().length > 0);

    it('reads any SPAM <number> <text> as a report with that number and that text', () => {
      fc.assert(
        fc.property(
          written,
          spamText,
          fc.constantFrom('SPAM', 'spam', 'Spam'),
          fc.constantFrom(' ', '  ', '\n'),
          ([nsn, format], text, keyword, gap) => {
            expect(parseMessage(`${keyword} ${format(nsn)}${gap}${text}`, GB)).toEqual({
              kind: 'report_with_sender',
              sender: { kind: 'msisdn', value: `+44${nsn}`, display: format(nsn) },
              text: text.trim(),
            });
          },
        ),
        { numRuns: 2000 },
      );
    });
  });
});
