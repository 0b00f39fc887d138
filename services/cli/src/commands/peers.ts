import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { sealPeerSecret, type Tlp } from '@srs/core';
import { FederationRepository, type PeerAuthKind } from '@srs/db';
import type { CliContext } from '../context';
import { country, displayName, positiveInteger } from '../options';

/** What the database accepts as a peer name (`peer:<name>` is its participant id). */
const PEER_NAME = /^[a-z0-9][a-z0-9-]{0,57}$/;
const GRANTS: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict'];

function peerName(value: string): string {
  if (!PEER_NAME.test(value)) throw new InvalidArgumentError('lower-case letters, digits and dashes, 1 to 58 characters');
  return value;
}

function apiRoot(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('an absolute http(s) URL of a TAXII 2.1 API root');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('an http(s) URL');
  if (url.username || url.password) throw new InvalidArgumentError('no credentials in the URL: give them with --auth and --secret-file');
  return url.toString();
}

function grant(value: string): Tlp {
  const tlp = value.toLowerCase().replace(/^tlp:/, '') as Tlp;
  if (!GRANTS.includes(tlp)) throw new InvalidArgumentError(`one of ${GRANTS.join(', ')} (TLP:RED is never passed on)`);
  return tlp;
}

function authKind(value: string): PeerAuthKind {
  if (value !== 'basic' && value !== 'bearer') throw new InvalidArgumentError('basic or bearer');
  return value;
}

interface AddOptions {
  apiRoot: string;
  collection?: string;
  auth: PeerAuthKind;
  username?: string;
  secretFile: string;
  tlpGrant: Tlp;
  country: string;
  name?: string;
  interval: number;
}

export function registerPeerCommands(program: Command, context: CliContext): void {
  const peers = program.command('peers').description('peer deployments whose TAXII 2.1 collections this one pulls (federation)');

  peers
    .command('add <peer>')
    .description('add a peer (or replace its settings); its indicators are offered to operators with source peer:<peer>')
    .requiredOption('--api-root <url>', "the peer's TAXII 2.1 API root, e.g. https://peer.example/taxii2/api/", apiRoot)
    .option('--collection <id>', 'the one collection to pull (default: every collection the peer lets us read)')
    .requiredOption('--auth <kind>', 'basic or bearer', authKind)
    .option('--username <name>', 'Basic only: the user name (the peer may ignore it, as this project does)')
    .requiredOption('--secret-file <path>', 'file holding the password or token (/dev/stdin to pipe it); kept sealed')
    .requiredOption(
      '--tlp-grant <tlp>',
      'the highest TLP the peer lets us pass on to our operators: clear, green, amber or amber+strict',
      grant,
    )
    .requiredOption('--country <code>', "the peer deployment's country", country)
    .option('--name <name>', 'display name (default: the peer)', displayName)
    .option('--interval <seconds>', 'seconds between pulls', positiveInteger, 300)
    .action(async (name: string, options: AddOptions) => {
      const peer = peerName(name);
      if ((options.auth === 'basic') !== (options.username !== undefined)) {
        throw new InvalidArgumentError('--username goes with --auth basic, and only with it');
      }
      const secret = (await readFile(options.secretFile, 'utf8')).trim();
      if (!secret) throw new InvalidArgumentError(`${options.secretFile} holds no secret`);
      await new FederationRepository(context.pool()).addPeer({
        name: peer,
        displayName: options.name ?? peer,
        country: options.country,
        apiRoot: options.apiRoot,
        collectionId: options.collection ?? null,
        authKind: options.auth,
        username: options.username ?? null,
        secretSealed: sealPeerSecret(secret, context.config.privacy.msisdnEncryptionKey),
        tlpGrant: options.tlpGrant,
        intervalSeconds: options.interval,
      });
      context.print(
        `peer ${peer}: pulls ${options.apiRoot} every ${options.interval} s, passes on up to TLP:${options.tlpGrant.toUpperCase()}`,
      );
    });

  peers
    .command('list')
    .description('list peers, what each sent and its last pull')
    .action(async () => {
      const list = await new FederationRepository(context.pool()).listPeers();
      if (list.length === 0) context.print('no peers yet: add one with srs peers add (see srs peers add --help)');
      for (const p of list) {
        context.print(
          [
            p.name,
            p.apiRoot,
            p.collectionId ?? 'all collections',
            p.authKind,
            `grant ${p.tlpGrant}`,
            `every ${p.intervalSeconds} s`,
            `offered ${p.offered}`,
            `withheld ${p.withheld}`,
            p.lastPullAt ? `last pull ${p.lastPullAt.toISOString()}${p.lastError ? ` failed: ${p.lastError}` : ''}` : 'never pulled',
          ].join('\t'),
        );
      }
    });

  peers
    .command('remove <peer>')
    .description("remove a peer: its indicators are revoked in this deployment's feeds")
    .action(async (name: string) => {
      const removed = await new FederationRepository(context.pool()).removePeer(peerName(name));
      if (!removed) throw new Error(`no peer ${name}`);
      context.print(`peer ${name} removed; its indicators are revoked`);
    });
}
