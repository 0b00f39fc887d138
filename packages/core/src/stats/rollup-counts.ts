import type { SenderKind } from '../conversation/types';
import { bucketStart } from './buckets';
import { DOMAIN_CUBOIDS, REPORT_CUBOIDS, REPORT_DIMENSIONS } from './cube';
import { delayBin } from './delay-histogram';
import { senderOrigin, topLevelDomain, type LinkKind } from './report-features';

/**
 * What each counted report, campaign or shared indicator adds to the rollups.
 * Pure: the worker reads the rows and writes the sums. Increments come out
 * summed, one per rollup cell, because one statement adds them all.
 */

export interface CountableReport {
  operatorId: string;
  operatorCountry: string;
  category: string;
  receivedAt: Date;
  senderKind: SenderKind | null;
  senderValue: string | null;
  linkKind: LinkKind;
  linkDomains: string[];
}

const ROLLUP_GRAINS = ['hour', 'day'] as const;
const NOT_SPAM = 'not_spam';

/** A dimension kept in the cuboid, or '' where the cuboid adds it up. */
const keep = (cuboid: number, bit: number, value: string) => ((cuboid & bit) === bit ? value : '');

export function reportIncrements(reports: readonly CountableReport[]) {
  const sums = new ReportSums();
  for (const r of reports) sums.add(r, r.category, 1);
  return sums.values();
}

/**
 * What moving counted reports from the category they were counted under to
 * the one their campaign's verdict gives now changes: one less there, one
 * more here; cells where the two cancel (those that add categories up) are
 * left out, so nothing is written twice.
 */
export function recategorisedIncrements(reports: ReadonlyArray<CountableReport & { countedCategory: string }>) {
  const sums = new ReportSums();
  for (const r of reports) {
    sums.add(r, r.countedCategory, -1);
    sums.add(r, r.category, 1);
  }
  return sums.values();
}

/** Campaigns moved from the category they were counted under to their verdict's. */
export function recategorisedCampaignIncrements(campaigns: ReadonlyArray<{ category: string; countedCategory: string; firstSeen: Date }>) {
  const cells = new Summer<{ grain: 'hour' | 'day'; bucket: Date; category: string; count: number }>('count');
  for (const c of campaigns) {
    for (const grain of ROLLUP_GRAINS) {
      const bucket = bucketStart(grain, c.firstSeen);
      cells.add({ grain, bucket, category: c.countedCategory, count: -1 });
      cells.add({ grain, bucket, category: c.category, count: 1 });
    }
  }
  return cells.values();
}

/** The report cube's cells and the domain cube's, summed as reports are added (or taken away). */
class ReportSums {
  private readonly cells = new Summer<{
    grain: 'hour' | 'day';
    cuboid: number;
    bucket: Date;
    operatorId: string;
    category: string;
    originCountry: string;
    senderType: string;
    linkKind: string;
    reports: number;
  }>('reports');
  private readonly domains = new Summer<{
    week: Date;
    cuboid: number;
    domain: string;
    tld: string;
    operatorId: string;
    category: string;
    originCountry: string;
    reports: number;
  }>('reports');

  add(r: CountableReport, category: string, sign: 1 | -1): void {
    const { category: C, country: O, sender_type: S, link: L } = REPORT_DIMENSIONS;
    const { senderType, country } = senderOrigin(r.senderKind, r.senderValue, r.operatorCountry);
    for (const grain of ROLLUP_GRAINS) {
      const bucket = bucketStart(grain, r.receivedAt);
      for (const cuboid of REPORT_CUBOIDS) {
        this.cells.add({
          grain,
          cuboid,
          bucket,
          operatorId: r.operatorId,
          category: keep(cuboid, C, category),
          originCountry: keep(cuboid, O, country),
          senderType: keep(cuboid, S, senderType),
          linkKind: keep(cuboid, L, r.linkKind),
          reports: sign,
        });
      }
    }
    // Abused domains: a mistaken report's links are somebody's legitimate ones.
    if (category === NOT_SPAM) return;
    const week = bucketStart('week', r.receivedAt);
    for (const domain of new Set(r.linkDomains)) {
      const tld = topLevelDomain(domain);
      for (const cuboid of DOMAIN_CUBOIDS) {
        this.domains.add({
          week,
          cuboid,
          domain,
          tld,
          operatorId: r.operatorId,
          category: keep(cuboid, C, category),
          originCountry: keep(cuboid, O, country),
          reports: sign,
        });
      }
    }
  }

  values() {
    return { reports: this.cells.values(), domains: this.domains.values() };
  }
}

/** Campaigns counted at the time of their first report. */
export function campaignIncrements(campaigns: ReadonlyArray<{ category: string; firstSeen: Date }>) {
  const cells = new Summer<{ grain: 'hour' | 'day'; bucket: Date; category: string; count: number }>('count');
  for (const c of campaigns)
    for (const grain of ROLLUP_GRAINS) cells.add({ grain, bucket: bucketStart(grain, c.firstSeen), category: c.category, count: 1 });
  return cells.values();
}

/** Indicators counted at the time they were first shared, with the delay from their first report. */
export function indicatorIncrements(indicators: ReadonlyArray<{ type: string; category: string; firstSeen: Date; sharedAt: Date }>) {
  const cells = new Summer<{ grain: 'hour' | 'day'; bucket: Date; category: string; type: string; count: number }>('count');
  const delays = new Summer<{ day: Date; category: string; bin: number; count: number }>('count');
  for (const i of indicators) {
    for (const grain of ROLLUP_GRAINS)
      cells.add({ grain, bucket: bucketStart(grain, i.sharedAt), category: i.category, type: i.type, count: 1 });
    const seconds = Math.max(0, (i.sharedAt.getTime() - i.firstSeen.getTime()) / 1000);
    delays.add({ day: bucketStart('day', i.sharedAt), category: i.category, bin: delayBin(seconds), count: 1 });
  }
  return { indicators: cells.values(), delays: delays.values() };
}

/** Adds up rows that differ only in their count field. */
class Summer<T extends Record<string, unknown>> {
  private readonly rows = new Map<string, T>();
  constructor(private readonly field: keyof T & string) {}

  add(row: T): void {
    // Built field by field: this runs some thirty times for each report rolled up.
    let key = '';
    for (const name in row) {
      if (name === this.field) continue;
      const value = row[name];
      key += `${value instanceof Date ? value.getTime() : String(value)}\u0000`;
    }
    const existing = this.rows.get(key);
    if (existing) (existing[this.field] as number) += row[this.field] as number;
    else this.rows.set(key, { ...row });
  }

  /** The sums, without those that came to nothing. */
  values(): T[] {
    return [...this.rows.values()].filter((row) => row[this.field] !== 0);
  }
}
