import { randomUUID } from 'node:crypto';
import { generateApiKey } from '@srs/core';
import type { Pool } from '../pool';

export type ApiScope = 'report' | 'attest' | 'read' | 'publish' | 'feedback' | 'admin' | 'stats';

export interface ApiKeyRow {
  id: string;
  operatorId: string | null;
  regulatorId: string | null;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface NewApiKeyRow {
  id: string;
  operatorId?: string;
  regulatorId?: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiScope[];
  expiresAt?: Date;
}

export interface KeyOwner {
  operatorId?: string;
  regulatorId?: string;
}

export interface IssueApiKey {
  name: string;
  scopes: ApiScope[];
  expiresInDays?: number | undefined;
}

const COLUMNS = `id, operator_id AS "operatorId", regulator_id AS "regulatorId", name, prefix, hash, scopes,
  expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt", created_at AS "createdAt"`;

export class ApiKeysRepository {
  constructor(private readonly pool: Pool) {}

  async create(key: NewApiKeyRow): Promise<ApiKeyRow> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, operator_id, regulator_id, name, prefix, hash, scopes, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [key.id, key.operatorId ?? null, key.regulatorId ?? null, key.name, key.prefix, key.hash, key.scopes, key.expiresAt ?? null],
    );
    return rows[0]!;
  }

  /**
   * A new key for an operator or a regulator: the row keeps the hash only, so
   * the key returned here exists nowhere else. Every way of making a key (the
   * CLI, an operator's admin key) comes through here.
   */
  async issue(owner: KeyOwner, options: IssueApiKey): Promise<{ row: ApiKeyRow; key: string }> {
    const { key, prefix, hash } = generateApiKey();
    const row = await this.create({
      id: `key_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      ...owner,
      name: options.name,
      prefix,
      hash,
      scopes: options.scopes,
      ...(options.expiresInDays ? { expiresAt: new Date(Date.now() + options.expiresInDays * 86_400_000) } : {}),
    });
    return { row, key };
  }

  /** The usable key with this prefix: not revoked, not expired. */
  async findActiveByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE prefix = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [prefix],
    );
    return rows[0];
  }

  async list(owner: { operatorId?: string } = {}): Promise<ApiKeyRow[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE $1::text IS NULL OR operator_id = $1 ORDER BY created_at`,
      [owner.operatorId ?? null],
    );
    return rows;
  }

  /** An operator's keys, newest first, revoked and expired ones included; never a regulator's. */
  async listForOperator(operatorId: string): Promise<ApiKeyRow[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE operator_id = $1 ORDER BY created_at DESC, id DESC`,
      [operatorId],
    );
    return rows;
  }

  /** Keys of the operator that still open the API: not revoked, not expired. */
  async countActiveForOperator(operatorId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys
       WHERE operator_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [operatorId],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Revokes one of the operator's keys. Undefined when the operator has no
   * such key, whoever else holds it; `revokedNow` is false for a key revoked
   * before, which keeps the time it was first revoked.
   */
  async revokeForOperator(operatorId: string, id: string): Promise<{ row: ApiKeyRow; revokedNow: boolean } | undefined> {
    const revoked = await this.pool.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND operator_id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, operatorId],
    );
    if (revoked.rows[0]) return { row: revoked.rows[0], revokedNow: true };
    const { rows } = await this.pool.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND operator_id = $2`, [
      id,
      operatorId,
    ]);
    return rows[0] ? { row: rows[0], revokedNow: false } : undefined;
  }

  /** Records a verified use of the key; at most once a minute, so a busy key costs one write a minute. */
  async markUsed(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    return rowCount === 1;
  }
}
