import type { Pool } from '../pool';

export interface OperatorRow {
  id: string;
  name: string;
  country: string;
  createdAt: Date;
}

export interface RegulatorRow {
  id: string;
  name: string;
  country: string | null;
  createdAt: Date;
}

/** Operators and regulators: the members of the consortium. */
export class ParticipantsRepository {
  constructor(private readonly pool: Pool) {}

  async upsertOperator(op: { id: string; name: string; country: string }): Promise<OperatorRow> {
    const { rows } = await this.pool.query<OperatorRow>(
      `INSERT INTO operators (id, name, country) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country
       RETURNING id, name, country, created_at AS "createdAt"`,
      [op.id, op.name, op.country],
    );
    return rows[0]!;
  }

  async upsertRegulator(reg: { id: string; name: string; country: string | null }): Promise<RegulatorRow> {
    const { rows } = await this.pool.query<RegulatorRow>(
      `INSERT INTO regulators (id, name, country) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country
       RETURNING id, name, country, created_at AS "createdAt"`,
      [reg.id, reg.name, reg.country],
    );
    return rows[0]!;
  }

  async findOperator(id: string): Promise<OperatorRow | undefined> {
    const { rows } = await this.pool.query<OperatorRow>(
      'SELECT id, name, country, created_at AS "createdAt" FROM operators WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /** By id, or else by name (case-insensitive): the CLI accepts either. */
  async findOperatorByIdOrName(idOrName: string): Promise<OperatorRow | undefined> {
    const { rows } = await this.pool.query<OperatorRow>(
      `SELECT id, name, country, created_at AS "createdAt" FROM operators
        WHERE id = $1 OR lower(name) = lower($1) ORDER BY (id = $1) DESC LIMIT 1`,
      [idOrName],
    );
    return rows[0];
  }

  async findRegulator(id: string): Promise<RegulatorRow | undefined> {
    const { rows } = await this.pool.query<RegulatorRow>(
      'SELECT id, name, country, created_at AS "createdAt" FROM regulators WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  async listOperators(): Promise<OperatorRow[]> {
    const { rows } = await this.pool.query<OperatorRow>('SELECT id, name, country, created_at AS "createdAt" FROM operators ORDER BY id');
    return rows;
  }

  async listRegulators(): Promise<RegulatorRow[]> {
    const { rows } = await this.pool.query<RegulatorRow>('SELECT id, name, country, created_at AS "createdAt" FROM regulators ORDER BY id');
    return rows;
  }
}
