import type { MessageCoding, ReportKey as MessageKey, ReportedSender, SenderKind } from '@srs/core';
import { NOTIFY_CHANNELS } from '../notifications';
import type { Pool } from '../pool';

export type ReportCoding = MessageCoding;
export type Completion = 'sender' | 'one_message' | 'no_sender_timeout' | 'no_sender_superseded' | 'no_sender_unknown';
export type ReportStatus = 'received' | 'confirmed_spam' | 'not_spam' | 'sender_blocked';

/** A report is identified, before it has a row, by its operator and the gateway message that opened it (core's ReportKey). */
export interface ReportKey extends MessageKey {
  operatorId: string;
}

export interface NewReport extends ReportKey {
  reference: string;
  reporterPseudonym: string;
  shortCode: string;
  body: string;
  coding: ReportCoding | null;
  smsc: string | null;
  channel: string | null;
  language: string | null;
  receivedAt: Date;
  /** absent: the report waits for its sender */
  sender?: ReportedSender;
}

export interface ReportRow {
  id: string;
  reference: string;
  operatorId: string;
  gateway: string;
  gatewayMessageId: string;
  reporterPseudonym: string;
  shortCode: string;
  body: string;
  coding: ReportCoding | null;
  smsc: string | null;
  channel: string | null;
  language: string | null;
  status: ReportStatus;
  awaitingSender: boolean;
  senderKind: SenderKind | null;
  senderValue: string | null;
  senderDisplay: string | null;
  completion: Completion | null;
  receivedAt: Date;
  storedAt: Date;
  completedAt: Date | null;
}

const COLUMNS = `id::text AS "id", reference, operator_id AS "operatorId", gateway,
  gateway_message_id AS "gatewayMessageId", reporter_pseudonym AS "reporterPseudonym",
  short_code AS "shortCode", body, coding, smsc, channel, language, status,
  awaiting_sender AS "awaitingSender", sender_kind AS "senderKind", sender_value AS "senderValue",
  sender_display AS "senderDisplay", completion, received_at AS "receivedAt", stored_at AS "storedAt",
  completed_at AS "completedAt"`;

/**
 * The constraint a new report's reference breaks when another report has it
 * (the unique index of report_keys, or its trigger for older reports): the
 * caller draws another reference.
 */
export const REFERENCE_TAKEN_CONSTRAINT = 'report_keys_reference_key';

/**
 * The end of a statement whose CTE `rows` stored reports or gave them their
 * sender: returns its rows and, when there are any, notifies `srs_reports`
 * once (at commit), which wakes the analyser leader in whichever worker
 * process holds it.
 */
const WAKE_ANALYSER = (rows: string) =>
  `, woken AS (SELECT pg_notify('${NOTIFY_CHANNELS.reports}', '') WHERE EXISTS (SELECT 1 FROM ${rows}))
   SELECT ${rows}.* FROM ${rows} LEFT JOIN woken ON true`;

const KEY = 'operator_id = $1 AND gateway = $2 AND gateway_message_id = $3';
const keyParams = (k: ReportKey) => [k.operatorId, k.gateway, k.gatewayMessageId];

export class ReportsRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * `insertOnce` for many reports in one statement: what one round trip to
   * PostgreSQL costs is shared by every report of the batch. A message twice in
   * the batch is created once; the other copy gets the row with `created: false`.
   *
   * The key goes into report_keys first, where it is unique on its own; only
   * the reports whose key was new are inserted. `reports` is partitioned by
   * received_at, so its own unique key includes received_at: it still catches
   * a rerun of the same job (same payload, same received_at) once the key has
   * left report_keys.
   */
  async insertManyOnce(reports: NewReport[]): Promise<Array<{ row: ReportRow; created: boolean }>> {
    if (reports.length === 0) return [];
    const col = <T>(f: (r: NewReport) => T) => reports.map(f);
    const { rows } = await this.pool.query<ReportRow>({
      // Named, so each connection parses and plans it once: every worker stores reports many times a second.
      name: 'reports-insert-many-once',
      text: `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                              $10::text[], $11::text[], $12::timestamptz[], $13::boolean[], $14::text[], $15::text[], $16::text[], $17::text[])
           WITH ORDINALITY AS v(reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, coding, smsc,
                                channel, language, received_at, awaiting_sender, sender_kind, sender_value, sender_display, completion, ord)
       ), new_keys AS (
         INSERT INTO report_keys (operator_id, gateway, gateway_message_id, reference, received_at)
         SELECT operator_id, gateway, gateway_message_id, reference, received_at FROM v ORDER BY ord
         ON CONFLICT (operator_id, gateway, gateway_message_id) DO NOTHING
         RETURNING operator_id, gateway, gateway_message_id, reference
       ), stored AS (
         INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code,
                              body, coding, smsc, channel, language, received_at, awaiting_sender,
                              sender_kind, sender_value, sender_display, completion, completed_at)
         SELECT v.reference, v.operator_id, v.gateway, v.gateway_message_id, v.reporter_pseudonym, v.short_code,
                v.body, v.coding, v.smsc, v.channel, v.language, v.received_at, v.awaiting_sender,
                v.sender_kind, v.sender_value, v.sender_display, v.completion, CASE WHEN v.awaiting_sender THEN NULL ELSE now() END
           FROM v JOIN new_keys k USING (operator_id, gateway, gateway_message_id, reference)
         ON CONFLICT (operator_id, gateway, gateway_message_id, received_at) DO NOTHING
         RETURNING ${COLUMNS}
       )
       ${WAKE_ANALYSER('stored')}`,
      values: [
        col((r) => r.reference),
        col((r) => r.operatorId),
        col((r) => r.gateway),
        col((r) => r.gatewayMessageId),
        col((r) => r.reporterPseudonym),
        col((r) => r.shortCode),
        col((r) => r.body),
        col((r) => r.coding),
        col((r) => r.smsc),
        col((r) => r.channel),
        col((r) => r.language),
        col((r) => r.receivedAt),
        col((r) => r.sender === undefined),
        col((r) => r.sender?.kind ?? null),
        col((r) => r.sender?.value ?? null),
        col((r) => r.sender?.display ?? null),
        col((r) => (r.sender ? 'one_message' : null)),
      ],
    });
    const keyOf = (k: ReportKey) => `${k.operatorId}\u0000${k.gateway}\u0000${k.gatewayMessageId}`;
    const created = new Map(rows.map((row) => [keyOf(row), row]));
    const results: Array<{ row: ReportRow; created: boolean }> = [];
    const seen = new Map<string, ReportRow>();
    for (const report of reports) {
      const key = keyOf(report);
      const fresh = created.get(key);
      if (fresh && !seen.has(key)) {
        seen.set(key, fresh);
        results.push({ row: fresh, created: true });
        continue;
      }
      const existing = seen.get(key) ?? (await this.findByKey(report));
      if (!existing) throw new Error('report neither inserted nor found');
      seen.set(key, existing);
      results.push({ row: existing, created: false });
    }
    return results;
  }

  /**
   * Stores a report once per gateway message: a redelivered message returns the
   * row stored the first time, with `created: false`.
   */
  async insertOnce(report: NewReport): Promise<{ row: ReportRow; created: boolean }> {
    const [result] = await this.insertManyOnce([report]);
    return result!;
  }

  /** Gives a report its sender. Idempotent: a report that has one already keeps it. */
  async attachSender(key: ReportKey, sender: ReportedSender): Promise<ReportRow | undefined> {
    return this.updateOnce(
      key,
      `WITH attached AS (
         UPDATE reports SET sender_kind = $4, sender_value = $5, sender_display = $6, awaiting_sender = false,
                completion = 'sender', completed_at = now()
          WHERE ${KEY} AND sender_value IS NULL
         RETURNING ${COLUMNS}
       )
       ${WAKE_ANALYSER('attached')}`,
      [sender.kind, sender.value, sender.display],
      (row) => row.senderValue !== null,
    );
  }

  /** Completes a report that still waits for its sender; one that was completed meanwhile is left as it is. */
  async completeWithoutSender(key: ReportKey, completion: Exclude<Completion, 'sender' | 'one_message'>): Promise<ReportRow | undefined> {
    return this.updateOnce(
      key,
      `UPDATE reports SET awaiting_sender = false, completion = $4, completed_at = now()
       WHERE ${KEY} AND awaiting_sender
       RETURNING ${COLUMNS}`,
      [completion],
      (row) => !row.awaitingSender,
    );
  }

  /**
   * Runs an update of one report that must happen once, and returns the row as
   * it is afterwards. When the update matches nothing, the row is either done
   * already, or was committed by another job between the update and the look-up
   * (each statement sees its own snapshot): then the update is due again, as the
   * row is visible now. A row that is still not done after that is reported as
   * missing, so the job retries instead of answering for a change never made.
   */
  private async updateOnce(
    key: ReportKey,
    sql: string,
    params: unknown[],
    done: (row: ReportRow) => boolean,
  ): Promise<ReportRow | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const { rows } = await this.pool.query<ReportRow>(sql, [...keyParams(key), ...params]);
      if (rows[0]) return rows[0];
      const row = await this.findByKey(key);
      if (!row || done(row)) return row;
    }
    return undefined;
  }

  async findByKey(key: ReportKey): Promise<ReportRow | undefined> {
    // One row per key, but for a redelivery (new received_at) after its key left report_keys: the first stored.
    const { rows } = await this.pool.query<ReportRow>(`SELECT ${COLUMNS} FROM reports WHERE ${KEY} ORDER BY id LIMIT 1`, keyParams(key));
    return rows[0];
  }

  /** A subscriber may ask only about their own reports: the reference must belong to their pseudonym at that operator. */
  async findForReporter(reference: string, operatorId: string, reporterPseudonym: string): Promise<ReportRow | undefined> {
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${COLUMNS} FROM reports WHERE reference = $1 AND operator_id = $2 AND reporter_pseudonym = $3
        ORDER BY received_at DESC LIMIT 1`,
      [reference, operatorId, reporterPseudonym],
    );
    return rows[0];
  }

  /**
   * Forgets the idempotency keys stored before `before`, a batch at a time
   * (report_keys stays a few weeks of keys; the reports keep theirs).
   */
  async forgetKeysBefore(before: Date, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM report_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM report_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2))`,
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async findByReference(reference: string): Promise<ReportRow | undefined> {
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${COLUMNS} FROM reports WHERE reference = $1 ORDER BY received_at DESC LIMIT 1`,
      [reference],
    );
    return rows[0];
  }
}
