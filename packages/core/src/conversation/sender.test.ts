import fc from 'fast-check';
import { containsLink, parseSender, SENDER_DISPLAY_MAX } from './sender';

describe('parseSender', () => {
  describe('phone numbers', () => {
    it('reads an international number however it is written', () => {
      const forms = [
        '+44 7700 900123',
        '+447700900123',
        '0044 7700 900123',
        '00447700900123',
        '447700900123',
        '+44 (0) 7700 900123',
        '(+44) 7700-900-123',
      ];
      for (const form of forms) expect(parseSender(form, 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
    });

    it("reads the number of a phone's link pasted as it is", () => {
      for (const form of ['tel:+447700900123', 'sms:07700900123', 'SMSTO:+447700900123', 'callto:+44 7700 900123'])
        expect(parseSender(form, 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
    });

    it('reads a national number in the operator country', () => {
      expect(parseSender('07700 900123', 'GB')).toEqual({ kind: 'msisdn', value: '+447700900123', display: '07700 900123' });
      expect(parseSender('06 12 34 56 78', 'FR')).toEqual({ kind: 'msisdn', value: '+33612345678', display: '06 12 34 56 78' });
      expect(parseSender('612 345 678', 'ES')).toMatchObject({ kind: 'msisdn', value: '+34612345678' });
      expect(parseSender('138 0013 8000', 'CN')).toMatchObject({ kind: 'msisdn', value: '+8613800138000' });
      expect(parseSender('050 123 4567', 'AE')).toMatchObject({ kind: 'msisdn', value: '+971501234567' });
    });

    it('reads an international number without + or 00 when it is not a national one', () => {
      expect(parseSender('33612345678', 'GB')).toMatchObject({ kind: 'msisdn', value: '+33612345678' });
    });

    it("understands the operator country's own international prefix", () => {
      expect(parseSender('011 44 7700 900123', 'US')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
    });

    it('tolerates dashes, dots, spaces and parentheses inside numbers', () => {
      for (const form of ['07700-900-123', '07700.900.123', '(07700) 900 123', '07700 – 900 123', '0 7 7 0 0 9 0 0 1 2 3']) {
        expect(parseSender(form, 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
      }
    });

    it('reads full-width and Arabic-Indic digits', () => {
      expect(parseSender('０７７００ ９００１２３', 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
      expect(parseSender('٠٧٧٠٠٩٠٠١٢٣', 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
      expect(parseSender('۰۶۱۲۳۴۵۶۷۸', 'FR')).toMatchObject({ kind: 'msisdn', value: '+33612345678' });
    });

    it('accepts numbers that are possible though not strictly valid (07700 900xxx is reserved for drama)', () => {
      expect(parseSender('+44 7700 900999', 'GB')).toMatchObject({ kind: 'msisdn', value: '+447700900999' });
    });

    it('refuses digit strings of implausible length', () => {
      expect(parseSender('+44 12', 'GB')).toBeUndefined();
      expect(parseSender('+44 7700 900123 456 789', 'GB')).toBeUndefined();
      expect(parseSender('1234567890123456789', 'GB')).toBeUndefined();
      expect(parseSender('123456789012345678901234567890', 'GB')).toBeUndefined();
      expect(parseSender('12', 'GB')).toBeUndefined();
    });

    it('takes a subscriber number of 8 digits as a number where the country has them', () => {
      expect(parseSender('9123 4567', 'SG')).toMatchObject({ kind: 'msisdn', value: '+6591234567' });
    });

    it('still reads international numbers when the operator country is unknown', () => {
      expect(parseSender('+33 6 12 34 56 78', 'XX')).toMatchObject({ kind: 'msisdn', value: '+33612345678' });
      expect(parseSender('+33 6 12 34 56 78', '')).toMatchObject({ kind: 'msisdn', value: '+33612345678' });
    });
  });

  describe('short codes', () => {
    it('reads 3 to 8 digits as a short code', () => {
      expect(parseSender('7726', 'GB')).toEqual({ kind: 'short_code', value: '7726', display: '7726' });
      expect(parseSender('60123', 'GB')).toEqual({ kind: 'short_code', value: '60123', display: '60123' });
      expect(parseSender('38 200', 'FR')).toMatchObject({ kind: 'short_code', value: '38200' });
      expect(parseSender('95588', 'CN')).toMatchObject({ kind: 'short_code', value: '95588' });
      expect(parseSender('123', 'ES')).toMatchObject({ kind: 'short_code', value: '123' });
      expect(parseSender('12345678', 'GB')).toMatchObject({ kind: 'short_code', value: '12345678' });
    });

    it("reads China's long 106 service numbers as short codes there", () => {
      expect(parseSender('10690123456789', 'CN')).toMatchObject({ kind: 'short_code', value: '10690123456789' });
      expect(parseSender('10690123456789', 'GB')).toBeUndefined();
    });
  });

  describe('alphanumeric sender IDs', () => {
    it('reads names as upper-case sender IDs', () => {
      expect(parseSender('HSBC', 'GB')).toEqual({ kind: 'alphanumeric', value: 'HSBC', display: 'HSBC' });
      expect(parseSender('Amazon', 'GB')).toEqual({ kind: 'alphanumeric', value: 'AMAZON', display: 'Amazon' });
      expect(parseSender('DHL-Express', 'GB')).toEqual({ kind: 'alphanumeric', value: 'DHL-EXPRESS', display: 'DHL-Express' });
      expect(parseSender('M&S', 'GB')).toMatchObject({ kind: 'alphanumeric', value: 'M&S' });
      expect(parseSender('my_bank.24', 'GB')).toMatchObject({ kind: 'alphanumeric', value: 'MY_BANK.24' });
      expect(parseSender('Société', 'FR')).toMatchObject({ kind: 'alphanumeric', value: 'SOCIÉTÉ' });
      expect(parseSender('Correos', 'ES')).toMatchObject({ kind: 'alphanumeric', value: 'CORREOS' });
      expect(parseSender('7726A', 'GB')).toMatchObject({ kind: 'alphanumeric', value: '7726A' });
    });

    it('collapses inner whitespace', () => {
      expect(parseSender('INFO SMS', 'GB')).toMatchObject({ kind: 'alphanumeric', value: 'INFO SMS' });
      expect(parseSender('info   sms', 'GB')).toMatchObject({ kind: 'alphanumeric', value: 'INFO SMS', display: 'info sms' });
    });

    it('refuses names longer than an SMS sender ID (11 characters)', () => {
      expect(parseSender('ABCDEFGHIJK', 'GB')).toMatchObject({ kind: 'alphanumeric' });
      expect(parseSender('ABCDEFGHIJKL', 'GB')).toBeUndefined();
      expect(parseSender('Royal Mail UK', 'GB')).toBeUndefined();
    });

    it('refuses names in scripts SMS sender IDs cannot carry', () => {
      expect(parseSender('顺丰', 'CN')).toBeUndefined();
      expect(parseSender('بنك', 'AE')).toBeUndefined();
    });
  });

  describe('what surrounds the sender', () => {
    it('tolerates surrounding whitespace and quotes', () => {
      expect(parseSender('  HSBC \n', 'GB')).toMatchObject({ value: 'HSBC', display: 'HSBC' });
      expect(parseSender('"HSBC"', 'GB')).toMatchObject({ value: 'HSBC', display: 'HSBC' });
      expect(parseSender("'07700 900123'", 'GB')).toMatchObject({ value: '+447700900123', display: '07700 900123' });
      expect(parseSender('« La Poste »', 'FR')).toMatchObject({ value: 'LA POSTE' });
      expect(parseSender('“Amazon”', 'GB')).toMatchObject({ value: 'AMAZON' });
      expect(parseSender('「95588」', 'CN')).toMatchObject({ value: '95588' });
    });

    it('tolerates a label in every language', () => {
      expect(parseSender('from: HSBC', 'GB')).toMatchObject({ value: 'HSBC', display: 'HSBC' });
      expect(parseSender('From +44 7700 900123', 'GB')).toMatchObject({ value: '+447700900123' });
      expect(parseSender('Sender: 60123', 'GB')).toMatchObject({ kind: 'short_code', value: '60123' });
      expect(parseSender('de : 06 12 34 56 78', 'FR')).toMatchObject({ value: '+33612345678' });
      expect(parseSender('Expéditeur: "La Poste"', 'FR')).toMatchObject({ value: 'LA POSTE' });
      expect(parseSender('remitente: Correos', 'ES')).toMatchObject({ value: 'CORREOS' });
      expect(parseSender('发件人：95588', 'CN')).toMatchObject({ kind: 'short_code', value: '95588' });
      expect(parseSender('المرسل: 0501234567', 'AE')).toMatchObject({ value: '+971501234567' });
    });

    it('drops sentence punctuation after a name', () => {
      expect(parseSender('Amazon.', 'GB')).toMatchObject({ value: 'AMAZON' });
    });
  });

  describe('display', () => {
    it('is the sender as typed, trimmed', () => {
      expect(parseSender(' 07700-900-123 ', 'GB')?.display).toBe('07700-900-123');
    });

    it(`is cut to ${SENDER_DISPLAY_MAX} characters`, () => {
      const sender = parseSender('+44 (0) 7700 - 900 - 123', 'GB');
      expect(sender).toMatchObject({ kind: 'msisdn', value: '+447700900123' });
      expect(sender!.display.length).toBeLessThanOrEqual(SENDER_DISPLAY_MAX);
      expect(sender!.display).toBe('+44 (0) 7700 - 900 -');
    });
  });

  describe('what is not a sender', () => {
    it.each([
      ['empty', ''],
      ['whitespace', '   '],
      ['a sentence', 'I got this text from a bank'],
      ['a URL', 'https://bit.ly/3xYz'],
      ['a bare domain', 'amazon.com'],
      ['a shortened link', 'bit.ly/abc'],
      ['a www address', 'www.hsbc'],
      ['emoji', '📦🚚'],
      ['a name with emoji', 'HSBC 🏦'],
      ['punctuation only', '...'],
      ['a label alone', 'from:'],
      ['an e-mail address', 'info@hsbc.com'],
      ['a number with a plus in the middle', '0770+0900123'],
      ['an over-long token', 'A'.repeat(5000)],
      ['an over-long number', '0'.repeat(5000)],
    ])('refuses %s', (_, input) => {
      expect(parseSender(input, 'GB')).toBeUndefined();
    });
  });

  describe('properties', () => {
    const ukMobile = fc
      .tuple(fc.constantFrom('71', '72', '73', '74', '75', '77', '78', '79'), fc.stringMatching(/^[0-9]{8}$/))
      .map(([prefix, rest]) => `${prefix}${rest}`);
    const formats: Array<(nsn: string) => string> = [
      (n) => `+44${n}`,
      (n) => `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
      (n) => `0${n}`,
      (n) => `0${n.slice(0, 4)} ${n.slice(4)}`,
      (n) => `0${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
      (n) => `(0${n.slice(0, 4)}) ${n.slice(4)}`,
      (n) => `0044 ${n}`,
      (n) => `44${n}`,
      (n) => `+44 (0)${n}`,
      (n) => ` "0${n.slice(0, 4)}.${n.slice(4)}" `,
      (n) => `from: +44 ${n}`,
    ];

    it('gives the same E.164 number for a UK mobile in every format', () => {
      fc.assert(
        fc.property(ukMobile, (nsn) => {
          for (const format of formats) {
            expect(parseSender(format(nsn), 'GB')).toMatchObject({ kind: 'msisdn', value: `+44${nsn}` });
          }
          // from abroad, the national form is not available but the international ones are
          expect(parseSender(`+44 ${nsn}`, 'FR')).toMatchObject({ kind: 'msisdn', value: `+44${nsn}` });
        }),
      );
    });

    it(`never gives a display longer than ${SENDER_DISPLAY_MAX} characters, and never throws`, () => {
      const anything = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.stringMatching(/^[ "'(]{0,3}(from: )?[+]?[0-9 ().-]{0,40}[ "')]{0,3}$/),
        fc.stringMatching(/^[ "]{0,3}[A-Za-z0-9 &._-]{1,30}[ "]{0,3}$/),
      );
      fc.assert(
        fc.property(anything, fc.constantFrom('GB', 'FR', 'ES', 'CN', 'AE', 'US', 'XX'), (input, country) => {
          const sender = parseSender(input, country);
          if (sender) {
            expect(sender.display.length).toBeLessThanOrEqual(SENDER_DISPLAY_MAX);
            expect(sender.value.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('containsLink', () => {
  it.each([
    'http://x.cn',
    'https://royalmail-redelivery.com/track',
    'go to www.example',
    'parcel-redelivery.info',
    'bit.ly/3abc',
    'evri.uk-reschedule.top',
    'HTTPS://EXAMPLE.ORG',
  ])('finds a link in %s', (text) => expect(containsLink(text)).toBe(true));

  // How fast: npm run bench (reading a hostile text).
  it('finds no link in long adversarial texts without one', () => {
    for (const text of ['a-'.repeat(25_000), 'a'.repeat(50_000), ' /'.repeat(25_000)]) expect(containsLink(text)).toBe(false);
  });

  it.each(['i.e. nothing', 'Mr.Smith', 'call 0800 123 456', 'HSBC', 'DHL.EXPRESS', '3.50 GBP'])('finds no link in %s', (text) =>
    expect(containsLink(text)).toBe(false),
  );
});
