import { apiKeyPrefix, hashApiKey } from '@srs/core';
import { ApiKeysRepository } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import { srsOnTestDatabase } from './cli-harness';

describe('srs regulators', () => {
  const { db, srs } = srsOnTestDatabase();

  it('creates a regulator and a stats-only key for it, printed alone on the last line, and lists both', async () => {
    const name = `Telecoms Authority ${uniqueSuffix()}`;
    const made = srs('regulators', 'create', '--name', name, '--country', 'fr', '--expires-in-days', '30');
    expect(made.status).toBe(0);
    const id = name.toLowerCase().replace(/ /g, '-');
    expect(made.lines[0]).toBe(`regulator ${id} (FR) ${name}`);
    expect(made.stdout).toContain('store it now: it is not shown again');
    const key = made.lines.at(-1)!;
    expect(key).toMatch(/^srs_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{32}$/);

    const stored = await new ApiKeysRepository(db.pool).findActiveByPrefix(apiKeyPrefix(key)!);
    expect(stored).toMatchObject({ regulatorId: id, operatorId: null, scopes: ['stats'], hash: hashApiKey(key) });
    expect(stored!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    expect(srs('regulators', 'list').lines).toContain(`${id}\tFR\t${name}`);
    const listed = srs('keys', 'list', '--regulator', id);
    expect(listed.lines).toHaveLength(1);
    expect(listed.lines[0]).toMatch(new RegExp(`^${stored!.id}\tregulator:${id}\tsrs_${stored!.prefix}_…\tstats\tactive\t`));
    expect(listed.stdout).not.toContain(key);

    expect(srs('keys', 'revoke', stored!.id).status).toBe(0);
    expect(await new ApiKeysRepository(db.pool).findActiveByPrefix(apiKeyPrefix(key)!)).toBeUndefined();
    expect(srs('keys', 'list', '--regulator', id).lines[0]).toMatch(/\trevoked\t/);
  });

  it('gives an existing regulator another key, keeping its country, under the id it is given', async () => {
    const first = srs('regulators', 'create', '--name', 'Demo Communications Regulator', '--id', 'demo-regulator');
    expect(first.status).toBe(0);
    expect(first.lines[0]).toBe('regulator demo-regulator (GB) Demo Communications Regulator');
    const second = srs('regulators', 'create', '--name', 'Demo Communications Regulator', '--id', 'demo-regulator');
    expect(second.lines.at(-1)).not.toBe(first.lines.at(-1));
    const keys = (await new ApiKeysRepository(db.pool).list()).filter((k) => k.regulatorId === 'demo-regulator');
    expect(keys).toHaveLength(2);
  });

  it('refuses malformed input with a clear message and exit code 1', () => {
    const cases: Array<[string[], RegExp]> = [
      [['regulators', 'create'], /required option '--name <name>'/],
      [['regulators', 'create', '--name', '  '], /a name of 1 to 200 characters/],
      [['regulators', 'create', '--name', 'Ofcom', '--country', 'GBR'], /ISO 3166 two-letter code/],
      [['regulators', 'create', '--name', 'Ofcom', '--id', 'Bad Id'], /lower-case letters, digits and dashes/],
      [['regulators', 'create', '--name', 'Ofcom', '--expires-in-days', '0'], /whole number of days/],
      [['regulators', 'create', '--name', '監管機構'], /cannot make an id from the name/],
      [['keys', 'list', '--operator', 'demo-uk', '--regulator', 'demo-regulator'], /not both/],
    ];
    for (const [args, message] of cases) {
      const run = srs(...args);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toMatch(message);
    }
  });
});
