import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unsealPeerSecret } from '@srs/core';
import { FederationRepository } from '@srs/db';
import { testConfig, uniqueSuffix } from '@srs/testkit';
import { srsOnTestDatabase } from './cli-harness';

describe('srs peers', () => {
  const { db, srs } = srsOnTestDatabase();

  it('adds a peer with its token sealed, lists it without the token, and removes it', async () => {
    const token = `token-${uniqueSuffix()}`;
    const secretFile = path.join(tmpdir(), `peer-secret-${uniqueSuffix()}`);
    writeFileSync(secretFile, `${token}\n`);
    const added = srs(
      'peers',
      'add',
      'fr',
      '--api-root',
      'https://taxii.peer.example/taxii2/api/',
      '--auth',
      'bearer',
      '--secret-file',
      secretFile,
      '--tlp-grant',
      'TLP:GREEN',
      '--country',
      'fr',
    );
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);

    const [due] = await new FederationRepository(db.pool).claimDuePeers(true);
    expect(due).toMatchObject({ name: 'fr', operatorId: 'peer:fr', authKind: 'bearer', tlpGrant: 'green', collectionId: null });
    expect(due!.secretSealed).not.toContain(token);
    expect(unsealPeerSecret(due!.secretSealed, testConfig({}).privacy.msisdnEncryptionKey)).toBe(token);

    const listed = srs('peers', 'list');
    expect(listed.lines).toEqual([
      expect.stringMatching(/^fr\thttps:\/\/taxii\.peer\.example\/taxii2\/api\/\tall collections\tbearer\tgrant green\t/),
    ]);
    expect(listed.stdout).not.toContain(token);

    expect(srs('peers', 'remove', 'fr').status).toBe(0);
    expect(srs('peers', 'list').stdout.trim()).toBe('no peers yet: add one with srs peers add (see srs peers add --help)');
  });

  it('refuses TLP:RED as a grant and credentials in the URL', () => {
    const common = ['--auth', 'bearer', '--secret-file', '/dev/null', '--country', 'fr'];
    expect(srs('peers', 'add', 'x', '--api-root', 'https://p.example/api/', '--tlp-grant', 'red', ...common).status).not.toBe(0);
    expect(srs('peers', 'add', 'x', '--api-root', 'https://u:p@p.example/api/', '--tlp-grant', 'green', ...common).status).not.toBe(0);
  });
});
