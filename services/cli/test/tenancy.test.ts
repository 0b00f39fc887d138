import { apiKeyPrefix, hashApiKey } from '@srs/core';
import { ApiKeysRepository } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import { srsOnTestDatabase } from './cli-harness';

describe('srs operators and keys', () => {
  const { db, srs } = srsOnTestDatabase();

  it('creates an operator from a name alone and a key for it, printed alone on the last line', async () => {
    const name = `Acme Mobile ${uniqueSuffix()}`;
    const created = srs('operators', 'create', '--name', name);
    expect(created.status).toBe(0);
    const operatorId = created.lines.at(-1)!;
    expect(operatorId).toMatch(/^acme-mobile-/);
    expect(srs('operators', 'list').lines.some((l) => l.startsWith(`${operatorId}\t`))).toBe(true);

    const made = srs('keys', 'create', '--operator', name, '--scopes', 'read,publish');
    expect(made.status).toBe(0);
    const key = made.lines.at(-1)!;
    expect(key).toMatch(/^srs_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{32}$/);
    const stored = await new ApiKeysRepository(db.pool).findActiveByPrefix(apiKeyPrefix(key)!);
    expect(stored).toMatchObject({ operatorId, scopes: ['read', 'publish'], hash: hashApiKey(key) });
    expect(JSON.stringify(stored)).not.toContain(key);

    const listed = srs('keys', 'list', '--operator', operatorId);
    expect(listed.lines.join('\n')).not.toContain(key);
    expect(srs('keys', 'revoke', stored!.id).status).toBe(0);
    expect(await new ApiKeysRepository(db.pool).findActiveByPrefix(apiKeyPrefix(key)!)).toBeUndefined();
  });

  it('refuses unknown scopes and unknown operators with a message and exit code 1', () => {
    const scope = srs('keys', 'create', '--operator', 'demo-uk', '--scopes', 'read,root');
    expect(scope.status).toBe(1);
    expect(scope.stderr).toMatch(/scopes/);
    const operator = srs('keys', 'create', '--operator', 'nobody-here', '--scopes', 'read');
    expect(operator.status).toBe(1);
    expect(operator.stderr).toMatch(/no operator nobody-here/);
  });
});
