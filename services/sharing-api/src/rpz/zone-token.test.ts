import { hashApiKey } from '@srs/core';
import { ZoneTokens } from './zone-token';

describe('ZoneTokens', () => {
  const key = { prefix: 'AbCdEfGhIj', hash: hashApiKey('srs_AbCdEfGhIj_secretsecretsecretsecretsecretsecr') };
  const tokens = new ZoneTokens('a deployment secret of enough length');

  it('issues a token naming its key that opens the zone of that key only, never the key itself', () => {
    const token = tokens.issue(key);
    expect(token).toMatch(/^rpz_AbCdEfGhIj_[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('secret');
    expect(tokens.prefixOf(token)).toBe('AbCdEfGhIj');
    expect(tokens.matches(token, key)).toBe(true);
    expect(tokens.matches(token, { ...key, hash: hashApiKey('srs_AbCdEfGhIj_anotherkeyanotherkeyanotherkeyan') })).toBe(false);
  });

  it('refuses a token made under another secret, and text that is no token', () => {
    expect(new ZoneTokens('another deployment secret').matches(tokens.issue(key), key)).toBe(false);
    expect(tokens.prefixOf('srs_AbCdEfGhIj_secretsecretsecretsecretsecretsecr')).toBeUndefined();
    expect(tokens.matches('rpz_AbCdEfGhIj_x', key)).toBe(false);
  });
});
