import { createHash } from 'node:crypto';
import { TLP_LEVELS, type Tlp } from '@srs/core';
import type { Pool } from '../pool';
import { inTransaction } from '../transaction';
import { publishedVisibleTo } from './published-visibility';

/** A shared domain or URL indicator, as the DNS firewall zone starts from it. */
export interface RpzSource {
  type: 'domain' | 'url';
  value: string;
  /** punycode of a consortium domain, when it differs from the value */
  ascii: string | null;
  /** the consortium found it behind a link shortener */
  shortener: boolean;
}

export interface RpzZone {
  /** grows by one each time the names change; 1 for the first zone */
  serial: number;
  names: string[];
}

/**
 * The DNS firewall zone (RPZ) of one operator: the domain and URL indicators
 * its change feed shows as shared and active right now, under a TLP ceiling.
 */
export class RpzRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * `toNames` turns the sources (and the allowlisted domains) into the zone's
   * names, sorted. The serial row is locked while the names are read, so
   * concurrent readers of one zone take turns, each reading data at least as
   * new as the one before it, and a serial never goes with older names.
   */
  async zone(
    viewer: string,
    maxTlp: Tlp,
    toNames: (sources: RpzSource[], allowlistedDomains: ReadonlySet<string>) => string[],
  ): Promise<RpzZone> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO rpz_zone_serials (operator_id, max_tlp, serial, digest) VALUES ($1, $2, 1, '') ON CONFLICT DO NOTHING`,
        [viewer, maxTlp],
      );
      const { rows: held } = await client.query<{ serial: string; digest: string }>(
        'SELECT serial, digest FROM rpz_zone_serials WHERE operator_id = $1 AND max_tlp = $2 FOR UPDATE',
        [viewer, maxTlp],
      );
      const { rows: sources } = await client.query<RpzSource>(
        `SELECT type, value, ascii, shortener FROM indicators
          WHERE type IN ('domain', 'url') AND ever_published AND publishable AND status = 'active'
         UNION ALL
         SELECT type, value, NULL, false FROM published_indicators
          WHERE type IN ('domain', 'url') AND status = 'active' AND ${publishedVisibleTo('$1')}
            AND array_position($2::text[], tlp) <= array_position($2::text[], $3::text)`,
        [viewer, TLP_LEVELS, maxTlp],
      );
      const { rows: allowlist } = await client.query<{ value: string }>(`SELECT value FROM allowlist WHERE type = 'domain'`);
      const names = toNames(sources, new Set(allowlist.map((a) => a.value)));
      const digest = createHash('sha256').update(names.join('\n')).digest('hex');
      const current = held[0]!;
      if (current.digest === digest) return { serial: Number(current.serial), names };
      // The first zone keeps serial 1; a later change takes the next one.
      const { rows } = await client.query<{ serial: string }>(
        `UPDATE rpz_zone_serials SET serial = CASE WHEN digest = '' THEN 1 ELSE serial + 1 END, digest = $3, changed_at = now()
          WHERE operator_id = $1 AND max_tlp = $2 RETURNING serial`,
        [viewer, maxTlp, digest],
      );
      return { serial: Number(rows[0]!.serial), names };
    });
  }
}
