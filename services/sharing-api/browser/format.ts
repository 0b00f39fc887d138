import { el } from '@srs/browser-kit';

/** A time as the tables show it: UTC, to the minute, whatever offset the ISO text came with. */
export const when = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '–');
export const percent = (p: number) => `${Math.round(p * 100)} %`;
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const verdictText = (c: { spam: boolean; probability: number }) =>
  `${c.spam ? 'Spam' : 'Withdrawn (not spam)'}, ${percent(c.probability)}`;

/** A table cell labelled with its column, which the phone layout shows beside the value. */
export function cell(label: string, content: string | Node, className = ''): HTMLTableCellElement {
  const td = el('td', '', className);
  td.dataset.label = label;
  td.append(content);
  return td;
}

/** The link to a campaign's page in the portal. */
export function campaignLink(id: string, text: string): HTMLAnchorElement {
  const a = el('a', text, 'campaign-link');
  a.href = `#campaign/${id}`;
  return a;
}
