import type { PeerIndicatorDecision, Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { inFeedTransaction, inTransaction } from '../transaction';
import { keepPosted } from './posted-stix';
import { PUBLISHED_UUID } from './taxii-repository';

export type PeerAuthKind = 'basic' | 'bearer';

export interface NewPeer {
  name: string;
  /** the peer's display name and country, for the participant `peer:<name>` that publishes its indicators here */
  displayName: string;
  country: string;
  apiRoot: string;
  /** null: every collection the peer lets this deployment read */
  collectionId: string | null;
  authKind: PeerAuthKind;
  /** Basic only */
  username: string | null;
  /** the password or token, sealed by the caller */
  secretSealed: string;
  tlpGrant: Tlp;
  intervalSeconds: number;
}

export interface PeerRow {
  name: string;
  operatorId: string;
  apiRoot: string;
  collectionId: string | null;
  authKind: PeerAuthKind;
  username: string | null;
  tlpGrant: Tlp;
  intervalSeconds: number;
  lastPullAt: Date | null;
  lastError: string | null;
  /** indicators offered to this deployment's operators, and those kept but withheld */
  offered: number;
  withheld: number;
}

/** A peer due for a pull, with what the pull needs to authenticate. */
export interface DuePeer {
  name: string;
  operatorId: string;
  apiRoot: string;
  collectionId: string | null;
  authKind: PeerAuthKind;
  username: string | null;
  secretSealed: string;
  tlpGrant: Tlp;
}

/**
 * What one object of a peer did here: `held-elsewhere` when this deployment
 * holds the STIX id from another origin (its own indicator coming back, or
 * another peer's), `unchanged` when the version is not newer than the one held.
 */
export type PeerImportOutcome = 'imported' | 'updated' | 'withheld' | 'unchanged' | 'held-elsewhere';

export const peerOperatorId = (name: string) => `peer:${name}`;

const PEER = `p.name, p.operator_id AS "operatorId", p.api_root AS "apiRoot", p.collection_id AS "collectionId",
  p.auth_kind AS "authKind", p.username, p.tlp_grant AS "tlpGrant"`;

/**
 * Peer deployments this one pulls indicators from (federation, docs/SHARING.md),
 * where each pull resumes, and what each peer sent. A peer's indicator offered
 * on is a published indicator of the participant `peer:<name>` under the
 * peer's own STIX id, so every sharing path serves it as it serves operators'.
 */
export class FederationRepository {
  constructor(private readonly pool: Pool) {}

  /** Adds a peer, or replaces its settings (its cursors and imports stay). */
  async addPeer(peer: NewPeer): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO operators (id, name, country) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country`,
        [peerOperatorId(peer.name), peer.displayName, peer.country],
      );
      await client.query(
        `INSERT INTO federation_peers (name, operator_id, api_root, collection_id, auth_kind, username, secret_sealed, tlp_grant, interval_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (name) DO UPDATE SET api_root = EXCLUDED.api_root, collection_id = EXCLUDED.collection_id,
           auth_kind = EXCLUDED.auth_kind, username = EXCLUDED.username, secret_sealed = EXCLUDED.secret_sealed,
           tlp_grant = EXCLUDED.tlp_grant, interval_seconds = EXCLUDED.interval_seconds, next_pull_at = now()`,
        [
          peer.name,
          peerOperatorId(peer.name),
          peer.apiRoot,
          peer.collectionId,
          peer.authKind,
          peer.username,
          peer.secretSealed,
          peer.tlpGrant,
          peer.intervalSeconds,
        ],
      );
    });
  }

  async listPeers(): Promise<PeerRow[]> {
    const { rows } = await this.pool.query<PeerRow>(
      `SELECT ${PEER}, p.interval_seconds AS "intervalSeconds", p.last_pull_at AS "lastPullAt", p.last_error AS "lastError",
              (SELECT count(*) FROM federation_imports i WHERE i.peer = p.name AND i.withheld IS NULL)::int AS offered,
              (SELECT count(*) FROM federation_imports i WHERE i.peer = p.name AND i.withheld IS NOT NULL)::int AS withheld
         FROM federation_peers p ORDER BY p.name`,
    );
    return rows;
  }

  /**
   * Removes a peer: its indicators are revoked where operators heard of them
   * (a feed change each), then its settings, cursors and imports go.
   */
  async removePeer(name: string): Promise<boolean> {
    return inFeedTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE published_indicators SET status = 'revoked', feedback_revoked = false, seq = nextval('change_seq'), updated_at = now()
          WHERE operator_id = $1 AND (status <> 'revoked' OR feedback_revoked)`,
        [peerOperatorId(name)],
      );
      const { rowCount } = await client.query('DELETE FROM federation_peers WHERE name = $1', [name]);
      return rowCount === 1;
    });
  }

  /**
   * Claims the peers whose pull is due (all of them with `all`) and sets their
   * next one: several workers never pull one peer at once.
   */
  async claimDuePeers(all = false): Promise<DuePeer[]> {
    const { rows } = await this.pool.query<DuePeer>(
      `UPDATE federation_peers p SET next_pull_at = now() + make_interval(secs => p.interval_seconds)
        WHERE p.name IN (SELECT name FROM federation_peers WHERE $1 OR next_pull_at <= now() FOR UPDATE SKIP LOCKED)
        RETURNING ${PEER}, p.secret_sealed AS "secretSealed"`,
      [all],
    );
    return rows;
  }

  async recordPull(name: string, error: string | null): Promise<void> {
    await this.pool.query('UPDATE federation_peers SET last_pull_at = now(), last_error = $2 WHERE name = $1', [name, error]);
  }

  async cursor(peer: string, collectionId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ addedAfter: string }>(
      'SELECT added_after AS "addedAfter" FROM federation_cursors WHERE peer = $1 AND collection_id = $2',
      [peer, collectionId],
    );
    return rows[0]?.addedAfter;
  }

  async saveCursor(peer: string, collectionId: string, addedAfter: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO federation_cursors (peer, collection_id, added_after) VALUES ($1, $2, $3)
       ON CONFLICT (peer, collection_id) DO UPDATE SET added_after = EXCLUDED.added_after`,
      [peer, collectionId, addedAfter],
    );
  }

  /**
   * Applies one indicator of a peer: offered on as a published indicator of
   * `peer:<name>` (TAXII serves the peer's object as sent), or kept withheld (a copy offered before is withdrawn).
   * Only a version later than the one held changes anything, and a STIX id
   * this deployment holds from another origin is left alone: what it shared
   * itself never comes back to it as new.
   */
  async applyPeerIndicator(peer: string, decision: PeerIndicatorDecision, object: Record<string, unknown>): Promise<PeerImportOutcome> {
    const operatorId = peerOperatorId(peer);
    return inFeedTransaction(this.pool, async (client) => {
      const uuid = decision.stixId.slice('indicator--'.length);
      const elsewhere = await client.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM published_indicators p WHERE ${PUBLISHED_UUID} = $1::uuid AND p.operator_id <> $2)
             OR EXISTS (SELECT 1 FROM indicators WHERE stix_uuid = $1::uuid AND ever_published)
             OR EXISTS (SELECT 1 FROM federation_imports WHERE stix_id = $3 AND peer <> $4) AS held`,
        [uuid, operatorId, decision.stixId, peer],
      );
      if (elsewhere.rows[0]!.held) return 'held-elsewhere';
      const held = await client.query<{ modified: Date; publishedId: string | null }>(
        `SELECT modified, published_indicator_id::text AS "publishedId" FROM federation_imports WHERE peer = $1 AND stix_id = $2 FOR UPDATE`,
        [peer, decision.stixId],
      );
      const before = held.rows[0];
      if (before && before.modified.getTime() >= decision.modified.getTime()) return 'unchanged';
      let publishedId = before?.publishedId ?? null;
      if (decision.kind === 'import') {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO published_indicators (operator_id, client_id, type, value, category, tlp, confidence, description, valid_until,
                                             status, created_at, updated_at, asserted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
           ON CONFLICT (operator_id, client_id) DO UPDATE SET type = EXCLUDED.type, value = EXCLUDED.value, category = EXCLUDED.category,
             tlp = EXCLUDED.tlp, confidence = EXCLUDED.confidence, description = EXCLUDED.description, valid_until = EXCLUDED.valid_until,
             status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, asserted_at = now(), feedback = 0, feedback_revoked = false,
             seq = nextval('change_seq')
           RETURNING id::text`,
          [
            operatorId,
            decision.stixId,
            decision.type,
            decision.value,
            decision.category,
            decision.tlp,
            decision.confidence,
            decision.description,
            decision.validUntil,
            decision.status,
            decision.created,
            decision.modified,
          ],
        );
        publishedId = rows[0]!.id;
        // TAXII relays the peer's object as it was sent (its creator, created and modified): its provenance travels with it.
        await keepPosted(client, publishedId, { object, created: decision.created.toISOString(), modified: String(object.modified) });
      } else if (publishedId) {
        // Offered before, now above the grant: operators who heard of it are told it is withdrawn.
        await client.query(
          `UPDATE published_indicators SET status = 'expired', feedback_revoked = false, valid_until = LEAST(valid_until, now()),
                  seq = nextval('change_seq'), updated_at = now()
            WHERE id = $1 AND (status = 'active' OR feedback_revoked)`,
          [publishedId],
        );
      }
      await client.query(
        `INSERT INTO federation_imports (peer, stix_id, modified, peer_tlp, withheld, object, published_indicator_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (peer, stix_id) DO UPDATE SET modified = EXCLUDED.modified, peer_tlp = EXCLUDED.peer_tlp, withheld = EXCLUDED.withheld,
           object = EXCLUDED.object, published_indicator_id = EXCLUDED.published_indicator_id, imported_at = now()`,
        [
          peer,
          decision.stixId,
          decision.modified,
          decision.tlp,
          decision.kind === 'withhold' ? decision.reason : null,
          JSON.stringify(object),
          publishedId,
        ],
      );
      if (decision.kind === 'withhold') return 'withheld';
      return before?.publishedId ? 'updated' : 'imported';
    });
  }
}
