import { Webhook } from 'standardwebhooks';
import { generateSecret, SECRET_PATTERN, webhookHeaders } from './signing';

describe('webhook signing', () => {
  it('makes secrets the Standard Webhooks libraries accept', () => {
    const secret = generateSecret();
    expect(secret).toMatch(SECRET_PATTERN);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it('signs with every active secret, so a receiver holding any one of them verifies', () => {
    const secrets = [generateSecret(), generateSecret()];
    const payload = JSON.stringify({ type: 'indicator.changed', data: { value: 'x.top' } });
    const headers = webhookHeaders('msg_1', payload, secrets);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of secrets) expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(generateSecret()).verify(payload, headers)).toThrow();
  });

  it('refuses to send unsigned', () => {
    expect(() => webhookHeaders('msg_1', '{}', [])).toThrow(/no active secret/);
  });
});
