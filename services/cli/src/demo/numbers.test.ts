import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { blockSize, numberAt, SENDER_COUNTRIES, senderNumber } from './numbers';
import { DEMO_OPERATORS } from './operators';
import { createRandom } from './random';

describe('demo phone numbers', () => {
  it('spreads a block without repeating a number', () => {
    const block = { prefix: '+3363998', digits: 4, from: 0, count: 6000 };
    const numbers = Array.from({ length: blockSize(block) }, (_, i) => numberAt(block, i, 12345));
    expect(new Set(numbers).size).toBe(6000);
    expect(numbers.every((n) => /^\+3363998[0-5]\d{3}$/.test(n))).toBe(true);
    expect(numbers.slice(0, 3)).not.toEqual(['+33639980000', '+33639980001', '+33639980002']);
    expect(() => numberAt(block, 6000)).toThrow(RangeError);
  });

  it.each(DEMO_OPERATORS.map((o) => [o.id, o] as const))("gives %s's subscribers valid mobile numbers of its country", (_id, operator) => {
    for (const index of [0, 1, 17, blockSize(operator.reporters) - 1]) {
      const parsed = parsePhoneNumberFromString(numberAt(operator.reporters, index, 987654));
      expect(parsed?.isValid()).toBe(true);
      expect(parsed?.country).toBe(operator.country);
    }
  });

  it('sends Kannel reports from fictional numbers only', () => {
    const uk = DEMO_OPERATORS.find((o) => o.id === 'demo-uk')!;
    expect(numberAt(uk.kannelReporters!, 5, 1)).toMatch(/^447700900\d{3}$/);
    const fr = DEMO_OPERATORS.find((o) => o.id === 'demo-fr')!;
    expect(numberAt(fr.kannelReporters!, 5, 1)).toMatch(/^33639986\d{3}$|^33639987\d{3}$/);
  });

  it.each([...SENDER_COUNTRIES])('gives spam senders valid numbers of %s', (country) => {
    const random = createRandom(country);
    for (let i = 0; i < 20; i++) {
      const parsed = parsePhoneNumberFromString(senderNumber(country, random));
      expect(parsed?.isValid()).toBe(true);
      expect(parsed?.country).toBe(country);
    }
  });
});
