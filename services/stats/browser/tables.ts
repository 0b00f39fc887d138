import { find } from '@srs/browser-kit';
import { formatCount, escapeHtml } from './format';

/*
 * Every chart's numbers as a table, in the card's collapsed "Show the numbers
 * as a table": the text alternative a screen reader can walk.
 */

export function renderTable(card: Element, caption: string, columns: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const wrap = find('[data-table]', card);
  if (!wrap) return;
  const head = columns.map((c, i) => `<th scope="col"${i ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i ? `<td class="num">${escapeHtml(cell)}</td>` : `<th scope="row">${escapeHtml(cell)}</th>`)).join('')}</tr>`,
    )
    .join('');
  wrap.innerHTML = `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A column of values under a label: a chart's dataset. */
export interface TableSeries {
  label?: string | undefined;
  data: ReadonlyArray<number | null>;
}

/** One row per period, one column per series. */
export function timeSeriesTable(
  card: Element,
  caption: string,
  labels: readonly string[],
  datasets: readonly TableSeries[],
  format: (value: number | null | undefined) => string = formatCount,
): void {
  const columns = ['Period', ...datasets.map((d) => String(d.label))];
  const rows = labels.map((label, i) => [label, ...datasets.map((d) => format(d.data[i]))]);
  renderTable(card, caption, columns, rows);
}
