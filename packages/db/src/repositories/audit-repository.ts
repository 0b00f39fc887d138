import type { Pool } from '../pool';

export interface AuditEntry {
  keyId: string;
  operatorId: string | null;
  regulatorId: string | null;
  method: string;
  path: string;
  status: number;
  requestId: string;
}

export interface AuditRow extends AuditEntry {
  id: string;
  at: Date;
}

export class AuditRepository {
  constructor(private readonly pool: Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      'INSERT INTO audit_log (key_id, operator_id, regulator_id, method, path, status, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [entry.keyId, entry.operatorId, entry.regulatorId, entry.method, entry.path.slice(0, 500), entry.status, entry.requestId || null],
    );
  }

  /** Newest first: read backwards from the index of each month (audit_log is partitioned by `at`). */
  async forOperator(operatorId: string, limit = 100): Promise<AuditRow[]> {
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT id::text AS id, at, key_id AS "keyId", operator_id AS "operatorId", regulator_id AS "regulatorId", method, path, status,
              request_id AS "requestId"
         FROM audit_log WHERE operator_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [operatorId, limit],
    );
    return rows;
  }
}
