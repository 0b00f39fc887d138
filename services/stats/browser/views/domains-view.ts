import { get } from '@srs/browser-kit';
import type { DomainsAnswer } from '../api-types';
import { cardOf } from '../cards';
import { PALETTE } from '../chart-datasets';
import { describe } from '../chart-notes';
import { drawnChart, type ChartId } from '../chart-setup';
import type { Filters } from '../filters';
import { formatCount, NUMBER } from '../format';
import { metaRules } from '../meta';
import { renderTable } from '../tables';

/** The most reported domains and TLDs: two ranked bar charts, each as tall as its list. */
export function renderDomains(answer: DomainsAnswer, f: Filters): void {
  const domains = answer.domains || [];
  const tlds = answer.tlds || [];
  const barColour = PALETTE[0];
  const fill = (id: ChartId, labels: string[], values: number[], label: string) => {
    const chart = drawnChart(id);
    chart.canvas.parentElement!.style.height = `${Math.max(8, labels.length * 1.6 + 3)}rem`;
    chart.data.labels = labels;
    chart.data.datasets = [{ label, data: values, backgroundColor: barColour, borderWidth: 0, maxBarThickness: 22 }];
    chart.update();
    chart.resize();
  };
  fill(
    'chart-domains',
    domains.map((d) => d.domain),
    domains.map((d) => d.reports),
    'Reports',
  );
  fill(
    'chart-tlds',
    tlds.map((t) => `.${t.tld}`),
    tlds.map((t) => t.reports),
    'Reports',
  );
  const card = cardOf('domains');
  const top = <T extends { reports: number }>(list: T[], name: (item: T) => string) =>
    list.length
      ? `${list.length} listed, the most reported ${name(list[0]!)} with ${NUMBER.format(list[0]!.reports)} reports`
      : 'none listed';
  describe(
    get('#chart-domains'),
    `Bar chart of the most abused domains, ${f.from} to ${f.to}: ${top(domains, (d) => d.domain)}. The table below lists every value.`,
  );
  describe(
    get('#chart-tlds'),
    `Bar chart of the most abused top-level domains, ${f.from} to ${f.to}: ${top(tlds, (t) => '.' + t.tld)}. The table below lists every value.`,
  );
  const rules = answer.rules || metaRules();
  get('[data-note]', card).textContent =
    (domains.length ? '' : 'No domain has enough reports to be listed for this period. ') +
    (rules && rules.min_cell != null ? `Domains and TLDs with fewer than ${rules.min_cell} reports are not listed.` : '');
  const rows = [
    ...domains.map((d) => [d.domain, `.${d.tld}`, formatCount(d.reports)]),
    ...tlds.map((t) => [`(all of .${t.tld})`, `.${t.tld}`, formatCount(t.reports)]),
  ];
  renderTable(card, 'Most reported domains, then top-level domains', ['Domain', 'TLD', 'Reports'], rows);
}
