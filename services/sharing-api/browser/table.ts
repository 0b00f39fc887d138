import { el, saveCsv, toCsv } from '@srs/browser-kit';

/**
 * A titled list as the portal shows every list: a heading, a "Download CSV"
 * button, a scrollable region holding the table (a block of labelled lines on
 * a phone), and a sentence in its place when the list is empty.
 */
export interface ListSection<T> {
  id: string;
  title: string;
  /** what the empty state says */
  empty: string;
  columns: string[];
  /** the header cell of each row (a th), then one cell per other column */
  row: (item: T) => HTMLTableRowElement;
  csv: { file: string; header: string[]; line: (item: T) => Array<string | number | boolean | null> };
}

export function listSection<T>(spec: ListSection<T>, items: readonly T[], level: 'h2' | 'h3' = 'h3'): HTMLElement {
  const section = el('section', '', 'list-section');
  section.id = spec.id;
  const head = el('div', '', 'card__head');
  const title = el(level, spec.title);
  title.id = `${spec.id}-title`;
  // focus lands here after an action redraws the list
  title.tabIndex = -1;
  const csv = el('button', 'Download CSV', 'button button--quiet');
  csv.type = 'button';
  csv.id = `${spec.id}-csv`;
  csv.disabled = items.length === 0;
  csv.addEventListener('click', () =>
    saveCsv(toCsv(spec.csv.header, items.map(spec.csv.line)), `${spec.csv.file}-${new Date().toISOString().slice(0, 13)}h.csv`),
  );
  const actions = el('div', '', 'card__actions');
  actions.append(csv);
  head.append(title, actions);
  section.append(head);
  if (items.length === 0) {
    section.append(el('p', spec.empty, 'state'));
    return section;
  }
  const wrap = el('div', '', 'table-wrap');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-labelledby', title.id);
  wrap.tabIndex = 0;
  const table = el('table', '', 'now-table');
  const thead = el('thead');
  const tr = el('tr');
  for (const column of spec.columns) {
    const th = el('th', column);
    th.scope = 'col';
    tr.append(th);
  }
  thead.append(tr);
  const tbody = el('tbody');
  tbody.id = `${spec.id}-rows`;
  tbody.append(...items.map(spec.row));
  table.append(thead, tbody);
  wrap.append(table);
  section.append(wrap);
  return section;
}

/** A row whose first cell is a row header holding `head`. */
export function headedRow(head: Array<string | Node>, id?: string): HTMLTableRowElement {
  const tr = el('tr');
  if (id) tr.dataset.id = id;
  const th = el('th');
  th.scope = 'row';
  th.append(...head);
  tr.append(th);
  return tr;
}
