import { INDICATOR_TYPES } from '../analysis';
import fc from 'fast-check';
import { indicatorPattern, parseIndicatorPattern } from './stix-patterns';

describe('indicator patterns', () => {
  it('name standard observables for URLs, domains and e-mail, and the project observables for numbers and senders', () => {
    expect(indicatorPattern('url', 'http://fee.example/x')).toBe("[url:value = 'http://fee.example/x']");
    expect(indicatorPattern('domain', 'fee.example')).toBe("[domain-name:value = 'fee.example']");
    expect(indicatorPattern('email', 'a@fee.example')).toBe("[email-addr:value = 'a@fee.example']");
    expect(indicatorPattern('phone', '+447700900123')).toBe("[phone-number:value = '+447700900123']");
    expect(indicatorPattern('sender_alphanumeric', 'ROYALMAIL')).toBe(
      "[sender-id:value = 'ROYALMAIL' AND sender-id:sender_type = 'alphanumeric']",
    );
    expect(indicatorPattern('sender_short_code', '60777')).toBe("[sender-id:value = '60777' AND sender-id:sender_type = 'short-code']");
    expect(indicatorPattern('sender_msisdn', '+447700900555')).toBe(
      "[sender-id:value = '+447700900555' AND sender-id:sender_type = 'msisdn']",
    );
  });

  it('match an internationalised domain in either spelling', () => {
    expect(indicatorPattern('domain', 'bücher.example', 'xn--bcher-kva.example')).toBe(
      "[domain-name:value = 'bücher.example' OR domain-name:value = 'xn--bcher-kva.example']",
    );
  });

  it('read back what they wrote, quotes and backslashes included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INDICATOR_TYPES), fc.string({ minLength: 1 }), (type, value) => {
        expect(parseIndicatorPattern(indicatorPattern(type, value))).toEqual({ type, value });
      }),
    );
  });

  it('refuse patterns that are not one SMS observable compared for equality', () => {
    for (const pattern of [
      "[ipv4-addr:value = '198.51.100.1']",
      "[domain-name:value LIKE '%.example']",
      "[url:value = 'a'] AND [url:value = 'b']",
      "[sender-id:value = 'X' AND sender-id:sender_type = 'carrier-pigeon']",
      'not a pattern',
    ]) {
      expect(parseIndicatorPattern(pattern)).toBeUndefined();
    }
  });
});
