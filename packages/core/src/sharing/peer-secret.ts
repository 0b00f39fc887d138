import { hkdfSync } from 'node:crypto';
import { seal, unseal } from '../sealed-box';

/**
 * Peers' passwords and tokens are kept sealed (AES-256-GCM) under a key of
 * their own, derived from the deployment's MSISDN_ENCRYPTION_KEY: the CLI
 * that stores them and the worker that uses them both hold that key, and
 * the database alone never reveals a peer's credentials.
 */
function peerSecretKey(deploymentKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', deploymentKey, Buffer.alloc(0), 'srs federation peer credentials', 32));
}

export function sealPeerSecret(secret: string, deploymentKey: Buffer): string {
  return seal(secret, peerSecretKey(deploymentKey));
}

export function unsealPeerSecret(sealed: string, deploymentKey: Buffer): string {
  return unseal(sealed, peerSecretKey(deploymentKey));
}
