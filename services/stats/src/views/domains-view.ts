import { bucketStart, nextBucket, protectTable, type Cell, type DisclosureRules, type SumGroup } from '@srs/core';
import type { DomainCountRow, StatsRepository } from '@srs/db';

export interface DomainsAnswer {
  from: string;
  to: string;
  filters: { category: string | null; country: string | null };
  domains: Array<{ domain: string; tld: string; reports: number }>;
  tlds: Array<{ tld: string; reports: number }>;
  rules: { min_cell: number; dominance_percent: number };
}

/**
 * Top abused domains and TLDs. Counted per ISO week and protected week by
 * week (a TLD's count is the sum of its domains', so both are one table); the
 * period's figure adds a domain's published weeks, so a period of any length
 * reveals nothing a week hides. Only spam is counted: a mistaken report's
 * links are somebody's legitimate ones.
 */
export async function domainsView(
  repository: StatsRepository,
  rules: DisclosureRules,
  query: { from: Date; to: Date; filters: { category?: string; country?: string }; limit: number },
): Promise<DomainsAnswer> {
  const from = bucketStart('week', query.from);
  const to = nextBucket('week', bucketStart('week', new Date(query.to.getTime() - 1)));
  const rows = await repository.domainCounts({ from, to, ...query.filters });
  const domainTotals = new Map<string, { tld: string; reports: number }>();
  const tldTotals = new Map<string, number>();
  const weeks = new Map<number, DomainCountRow[]>();
  for (const r of rows) weeks.set(r.week.getTime(), [...(weeks.get(r.week.getTime()) ?? []), r]);
  for (const weekRows of weeks.values()) {
    const { cells, groups, names } = weekTable(weekRows);
    const hidden = protectTable(cells, groups, rules);
    names.forEach((name, i) => {
      if (hidden[i]) return;
      if (name.kind === 'domain') {
        const entry = domainTotals.get(name.value) ?? { tld: name.tld, reports: 0 };
        entry.reports += cells[i]!.value;
        domainTotals.set(name.value, entry);
      } else {
        tldTotals.set(name.value, (tldTotals.get(name.value) ?? 0) + cells[i]!.value);
      }
    });
  }
  const top = <T extends { reports: number }>(list: T[], name: (t: T) => string) =>
    list.sort((a, b) => b.reports - a.reports || name(a).localeCompare(name(b))).slice(0, query.limit);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    filters: { category: query.filters.category ?? null, country: query.filters.country ?? null },
    domains: top(
      [...domainTotals].map(([domain, d]) => ({ domain, tld: d.tld, reports: d.reports })),
      (d) => d.domain,
    ),
    tlds: top(
      [...tldTotals].map(([tld, reports]) => ({ tld, reports })),
      (t) => t.tld,
    ),
    rules: { min_cell: rules.minCell, dominance_percent: Math.round(rules.dominance * 100) },
  };
}

type CellName = { kind: 'domain'; value: string; tld: string } | { kind: 'tld'; value: string };

/** One week: a cell per domain and per TLD, each TLD the sum of its domains. */
function weekTable(rows: DomainCountRow[]): { cells: Cell[]; groups: SumGroup[]; names: CellName[] } {
  const tally = new Map<string, { name: CellName; total: number; byContributor: Map<string, number> }>();
  const add = (id: string, name: CellName, r: DomainCountRow) => {
    const t = tally.get(id) ?? { name, total: 0, byContributor: new Map<string, number>() };
    t.total += r.count;
    t.byContributor.set(r.contributor, (t.byContributor.get(r.contributor) ?? 0) + r.count);
    tally.set(id, t);
  };
  for (const r of rows) {
    add(`d:${r.domain}`, { kind: 'domain', value: r.domain, tld: r.tld }, r);
    add(`t:${r.tld}`, { kind: 'tld', value: r.tld }, r);
  }
  const ids = [...tally.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const cells: Cell[] = ids.map((id) => {
    const t = tally.get(id)!;
    return { value: t.total, topShare: Math.max(...t.byContributor.values()) / t.total };
  });
  const children = new Map<number, number[]>();
  for (const id of ids) {
    const name = tally.get(id)!.name;
    if (name.kind !== 'domain') continue;
    const parent = index.get(`t:${name.tld}`)!;
    children.set(parent, [...(children.get(parent) ?? []), index.get(id)!]);
  }
  return { cells, groups: [...children].map(([parent, list]) => ({ parent, children: list })), names: ids.map((id) => tally.get(id)!.name) };
}
