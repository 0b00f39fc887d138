const CSV_TYPE = 'text/csv;charset=utf-8';

/**
 * Hands CSV to the browser as a download: text made in the page, or a Blob an
 * API answered with (typed as CSV when it was not, so the browser saves it as
 * such). A key-bearing fetch cannot be a plain link, hence the object URL.
 */
export function saveCsv(csv: string | Blob, fileName: string): void {
  const blob = typeof csv !== 'string' && csv.type.startsWith('text/csv') ? csv : new Blob([csv], { type: CSV_TYPE });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // the download may start after click() returns; a minute is ample
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
