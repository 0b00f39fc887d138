import { twilioSignature, verifyTwilioSignature } from './twilio-signature';

/**
 * Twilio's published example: auth token "12345", this URL and these POST
 * parameters give this signature. Source: the signature-validation sample in
 * Twilio's docs code-sample repository, TwilioDevEd/api-snippets
 * security/signature_validation/signature_validation.py (for the docs'
 * "Validating Requests are coming from Twilio"); the same vector is in the
 * SDKs' own tests (twilio-php and twilio-csharp RequestValidatorTest). Today's
 * docs page (/docs/usage/webhooks/webhooks-security) shows another signature
 * (Np1nax6u…) but reads the token from the environment, so it cannot serve
 * as a vector. An outside vector means a
 * self-consistent but wrong implementation cannot pass.
 */
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS: Record<string, string> = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signature', () => {
  it("reproduces the signature of Twilio's published example", () => {
    expect(twilioSignature(TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, SIGNATURE)).toBe(true);
  });

  it('does not depend on the order the parameters arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(verifyTwilioSignature(TOKEN, URL, reversed, SIGNATURE)).toBe(true);
  });

  it('rejects a changed parameter, an added parameter, a changed URL or another token', () => {
    expect(verifyTwilioSignature(TOKEN, URL, { ...PARAMS, Digits: '9999' }, SIGNATURE)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, { ...PARAMS, Body: '' }, SIGNATURE)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL.replace('bar=2', 'bar=3'), PARAMS, SIGNATURE)).toBe(false);
    expect(verifyTwilioSignature('54321', URL, PARAMS, SIGNATURE)).toBe(false);
  });

  it('rejects a missing, empty or garbage signature without throwing', () => {
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, undefined)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, '')).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, 'not base64 at all ✗')).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, SIGNATURE.slice(0, -1))).toBe(false);
  });

  it('signs non-ASCII values as UTF-8', () => {
    // Expected value computed independently with Python's hmac/hashlib over the UTF-8 string.
    const params = { Body: 'Gagnez 1000€ 中文', From: '+33612345678' };
    expect(twilioSignature('token-1234', 'https://sms.example/twilio', params)).toBe('0+2ixJ4YvBU3VOD6tWbtukIIA7o=');
  });
});
