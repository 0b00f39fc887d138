import fc from 'fast-check';
import { detectLanguage } from './language';
import { renderReply } from './replies';
import { LANGUAGES, REPLY_KEYS } from './types';

describe('detectLanguage', () => {
  const samples = {
    en: [
      'Your parcel is held, pay at http://x.example',
      'Your account has been suspended, click here to verify your details',
      'Hi mum, this is my new number, can you send me a message',
      'We tried to deliver your package but nobody was at home',
      'Please call 王先生 at the office tomorrow',
    ],
    fr: [
      'Bonjour, ton colis est bloqué',
      'Votre compte a été suspendu, cliquez ici',
      "J'ai reçu un message bizarre de l'opérateur",
      'Votre colis est en attente de livraison, merci de payer les frais de douane',
    ],
    es: [
      'Hola, su paquete está retenido en la aduana',
      'Su cuenta ha sido bloqueada, ingrese aquí',
      'Su paquete está en camino, pague los gastos de envío',
      '¿Hola mamá? Este es mi nuevo número',
    ],
    ar: ['مرحبا، لقد ربحت جائزة', 'تم تعليق حسابك البنكي، اضغط على الرابط', 'شحنتك DHL متوقفة، ادفع الرسوم الآن'],
    zh: ['您的包裹被扣留', '帮助', '您的账户已被冻结，请点击链接 http://x.example 验证', '恭喜您中奖了！请回复领取'],
  } as const;

  for (const [language, texts] of Object.entries(samples)) {
    it.each(texts)(`reads %s as ${language}`, (text) => expect(detectLanguage(text)).toBe(language));
  }

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['👍🎉', 'emoji only'],
    ['+447700900123', 'a number'],
    ['ok thanks', 'two words'],
    ['Bonjour', 'one word'],
    ['STOP', 'a keyword'],
    ['La casa', 'two words shared by languages'],
    ['taxi hotel restaurant', 'words every language uses'],
    ['Der Paket ist angekommen und wartet auf Sie', 'German'],
    ['Il pacco è in attesa di consegna', 'Italian'],
    ['お荷物をお届けに参りました', 'Japanese'],
    ['بسته شما در گمرک است', 'Persian'],
    ['好', 'one Han character'],
  ])('gives no language for %j (%s)', (text) => expect(detectLanguage(text)).toBeUndefined());

  it('never mistakes one of our own replies for another language', () => {
    const params = { ref: 'K7M2PQ9X', sender: 'AMAZON', shortCode: '7726', example: 'AB23CD45' };
    for (const key of REPLY_KEYS) {
      for (const language of LANGUAGES) {
        const detected = detectLanguage(renderReply(key, language, params).text);
        expect({ key, language, detected: detected ?? language }).toEqual({ key, language, detected: language });
      }
    }
  });

  it('handles a long text', () => {
    expect(detectLanguage('Your parcel is waiting for you at the depot. '.repeat(120))).toBe('en');
  });

  it('never throws, whatever the text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom('\uD800', '\uDC00', 'é', '帮', 'ا', "l'", ' ') }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const detected = detectLanguage(t);
        return detected === undefined || (LANGUAGES as readonly string[]).includes(detected);
      }),
    );
  });
});
