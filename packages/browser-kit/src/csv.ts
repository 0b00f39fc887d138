export type CsvField = string | number | boolean | null;

/** RFC 4180 CSV of rows, every field quoted where it must be, CRLF line ends. */
export function toCsv(header: string[], rows: CsvField[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(v: CsvField): string {
  const s = v === null ? '' : String(v);
  // a leading =, +, - or @ would be read as a formula by a spreadsheet
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
