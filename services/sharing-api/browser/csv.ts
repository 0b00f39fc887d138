/** RFC 4180 CSV of rows, every field quoted where it must be, CRLF line ends. */
export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null>>): string {
  const field = (v: string | number | boolean | null) => {
    const s = v === null ? '' : String(v);
    // a leading =, +, - or @ would be read as a formula by a spreadsheet
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Hands text to the browser as a download. */
export function download(text: string, fileName: string): void {
  const href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
