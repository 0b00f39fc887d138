import { bucketStart, nextBucket, type DisclosureRules } from '@srs/core';
import type { ProtectedCube } from './protected-cube';

export interface DomainsAnswer {
  from: string;
  to: string;
  filters: { category: string | null; country: string | null };
  domains: Array<{ domain: string; tld: string; reports: number }>;
  tlds: Array<{ tld: string; reports: number }>;
  rules: { min_cell: number; dominance_percent: number };
}

/**
 * Top abused domains and TLDs. Each week's domain cube is protected jointly
 * (every filter, each TLD the sum of its domains), so a domain hidden under
 * one filter cannot be had from two others; the period's figure adds a
 * domain's published weeks. Only complete weeks count, and only spam: a
 * mistaken report's links are somebody's legitimate ones.
 */
export async function domainsView(
  cube: ProtectedCube,
  rules: DisclosureRules,
  query: { from: Date; to: Date; filters: { category?: string; country?: string }; limit: number },
  now = new Date(),
): Promise<DomainsAnswer> {
  const from = bucketStart('week', query.from);
  const to = nextBucket('week', bucketStart('week', new Date(query.to.getTime() - 1)));
  const weeks = await cube.weeksOf('domains', from, to, now);
  const filter = (query.filters.category ? 1 : 0) | (query.filters.country ? 2 : 0);
  const wanted = [query.filters.category ?? '', query.filters.country ?? ''];
  const matches = (values: readonly string[]) => wanted.every((v, d) => v === '' || values[d] === v);
  const domainTotals = new Map<string, { tld: string; reports: number }>();
  const tldTotals = new Map<string, number>();
  for (const week of weeks.values()) {
    for (const c of week.cells('week', filter | 12)) {
      if (c.hidden || !matches(c.values)) continue;
      const entry = domainTotals.get(c.values[3]!) ?? { tld: c.values[2]!, reports: 0 };
      entry.reports += c.value;
      domainTotals.set(c.values[3]!, entry);
    }
    for (const c of week.cells('week', filter | 4)) {
      if (c.hidden || !matches(c.values)) continue;
      tldTotals.set(c.values[2]!, (tldTotals.get(c.values[2]!) ?? 0) + c.value);
    }
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
