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

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    return rowCount === 1;
  }
}
