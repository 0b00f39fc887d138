import { decidePeerIndicator, unsealPeerSecret } from '@srs/core';
import type { DuePeer, FederationRepository, PeerImportOutcome } from '@srs/db';
import type { Logger } from '@srs/logging';
import { PeriodicTask } from '../periodic-task';
import { TaxiiClient } from './taxii-client';

export type PullCounts = Record<PeerImportOutcome, number>;

export interface PeerPullResult {
  peer: string;
  counts: PullCounts;
  /** what failed, when the pull stopped early (what it imported before stays) */
  error?: string;
}

export interface PeerPullDeps {
  repository: FederationRepository;
  /** MSISDN_ENCRYPTION_KEY: the peers' credentials are sealed under a key derived from it */
  deploymentKey: Buffer;
  logger: Logger;
  /** how often due peers are looked for (each peer has its own interval) */
  intervalMs: number;
  /** objects asked for per page; the peer's own default when not given */
  pageLimit?: number;
}

const emptyCounts = (): PullCounts => ({ imported: 0, updated: 0, withheld: 0, unchanged: 0, 'held-elsewhere': 0 });

/**
 * Federation: pulls each due peer deployment's TAXII 2.1 collections
 * (`added_after` the last X-TAXII-Date-Added-Last it sent, every page) and
 * applies their indicators (docs/SHARING.md, Federation). A claimed peer is
 * pulled by one worker; a failed pull keeps what it applied and its cursor,
 * and the next one resumes there.
 */
export class PeerPull {
  private readonly task: PeriodicTask;

  constructor(private readonly deps: PeerPullDeps) {
    this.task = new PeriodicTask('peer pull', deps.intervalMs, () => this.runOnce(), deps.logger);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Pulls the peers that are due (every peer with `all`). */
  async runOnce(options: { all?: boolean; now?: Date } = {}): Promise<PeerPullResult[]> {
    const results: PeerPullResult[] = [];
    for (const peer of await this.deps.repository.claimDuePeers(options.all ?? false)) {
      results.push(await this.pullPeer(peer, options.now));
    }
    return results;
  }

  private async pullPeer(peer: DuePeer, now = new Date()): Promise<PeerPullResult> {
    const { repository, logger } = this.deps;
    const counts = emptyCounts();
    try {
      const client = new TaxiiClient(peer.apiRoot, {
        kind: peer.authKind,
        username: peer.username,
        secret: unsealPeerSecret(peer.secretSealed, this.deps.deploymentKey),
      });
      const collectionIds = peer.collectionId ? [peer.collectionId] : await client.readableCollections();
      for (const collectionId of collectionIds) await this.pullCollection(peer, client, collectionId, counts, now);
      await repository.recordPull(peer.name, null);
      logger.info({ peer: peer.name, ...counts }, 'peer pulled');
      return { peer: peer.name, counts };
    } catch (err) {
      const error = (err as Error).message;
      await repository.recordPull(peer.name, error);
      logger.warn({ peer: peer.name, err, ...counts }, 'peer pull failed; the next pull resumes where it stopped');
      return { peer: peer.name, counts, error };
    }
  }

  private async pullCollection(peer: DuePeer, client: TaxiiClient, collectionId: string, counts: PullCounts, now: Date): Promise<void> {
    const { repository, pageLimit } = this.deps;
    let addedAfter = await repository.cursor(peer.name, collectionId);
    let next: string | undefined;
    for (;;) {
      const page = await client.objects(collectionId, {
        ...(addedAfter ? { addedAfter } : {}),
        ...(next ? { next } : {}),
        ...(pageLimit ? { limit: pageLimit } : {}),
      });
      for (const object of page.objects) {
        const decision = decidePeerIndicator(object, peer.tlpGrant, now);
        if (!decision) continue;
        const outcome = await repository.applyPeerIndicator(peer.name, decision, object);
        counts[outcome] += 1;
      }
      if (page.dateAddedLast) await repository.saveCursor(peer.name, collectionId, page.dateAddedLast);
      if (!page.more) return;
      // TAXII pages by `next`; a server that sends none pages by added_after alone.
      if (page.next) next = page.next;
      else if (page.dateAddedLast && page.dateAddedLast !== addedAfter) addedAfter = page.dateAddedLast;
      else return;
    }
  }
}
