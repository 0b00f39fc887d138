import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';

/** A CSV download: the methodology as leading `#` lines, then a header row and the rows. */
export function sendCsv(
  res: Response,
  filename: string,
  note: string[],
  header: string[],
  rows: Array<Array<string | number | null>>,
): void {
  const body = `${note.map((line) => `# ${line}`).join('\n')}\n${stringify([header, ...rows.map((r) => r.map((v) => (v === null ? '' : v)))])}`;
  res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${filename}"`).send(body);
}
