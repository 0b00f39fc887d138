import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-key';

describe('API keys', () => {
  it('are random, carry their prefix, and are stored only as a hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(15));
  });

  it('match only the key they were made from', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    const last = key.at(-1) === 'x' ? 'y' : 'x';
    expect(apiKeyMatches(`${key.slice(0, -1)}${last}`, hash)).toBe(false);
    expect(apiKeyMatches(key, 'abcd')).toBe(false);
  });

  it('reject what is not shaped like a key', () => {
    expect(apiKeyPrefix('Bearer something')).toBeUndefined();
    expect(apiKeyPrefix('')).toBeUndefined();
  });
});
