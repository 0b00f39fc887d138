import { protectTable, type Cell, type DisclosureRules, type SumGroup } from '@srs/core';
import type { StatsRepository } from '@srs/db';

const MINUTE = 60_000;
const TOTAL = '*';
export const LIVE_MINUTES = 60;

export interface LiveAnswer {
  minutes: string[];
  total: { values: Array<number | null>; suppressed: boolean[] };
  series: Array<{ key: string; label: string; values: Array<number | null>; suppressed: boolean[] }>;
  rules: { min_cell: number; dominance_percent: number };
}

/**
 * Reports received per minute over the last hour, by category ('pending'
 * until analysed), with the same disclosure rules: each minute is a row of
 * categories adding up to its total, and only rows are published, so each
 * minute is protected on its own.
 */
export async function liveView(repository: StatsRepository, rules: DisclosureRules, now = new Date()): Promise<LiveAnswer> {
  const end = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const minutes = Array.from({ length: LIVE_MINUTES }, (_, i) => end - (LIVE_MINUTES - 1 - i) * MINUTE);
  const rows = await repository.liveCounts(new Date(minutes[0]!));
  const tallies = new Map<number, Map<string, Map<string, number>>>();
  for (const r of rows) {
    const minute = r.minute.getTime();
    const keys = tallies.get(minute) ?? new Map<string, Map<string, number>>();
    for (const key of [r.category, TOTAL]) {
      const byOperator = keys.get(key) ?? new Map<string, number>();
      byOperator.set(r.contributor, (byOperator.get(r.contributor) ?? 0) + r.count);
      keys.set(key, byOperator);
    }
    tallies.set(minute, keys);
  }
  const cells: Cell[] = [];
  const groups: SumGroup[] = [];
  const at = new Map<string, number>();
  for (const [minute, keys] of tallies) {
    const children: number[] = [];
    for (const [key, byOperator] of keys) {
      const value = [...byOperator.values()].reduce((a, b) => a + b, 0);
      at.set(`${minute}|${key}`, cells.length);
      if (key !== TOTAL) children.push(cells.length);
      cells.push({ value, topShare: Math.max(...byOperator.values()) / value });
    }
    groups.push({ parent: at.get(`${minute}|${TOTAL}`)!, children });
  }
  const hidden = protectTable(cells, groups, rules);
  const line = (key: string) => {
    const values: Array<number | null> = [];
    const suppressed: boolean[] = [];
    for (const minute of minutes) {
      const i = at.get(`${minute}|${key}`);
      const isHidden = i !== undefined && hidden[i]!;
      values.push(isHidden ? null : i === undefined ? 0 : cells[i]!.value);
      suppressed.push(isHidden);
    }
    return { values, suppressed };
  };
  const keys = [...new Set(rows.map((r) => r.category))].sort();
  return {
    minutes: minutes.map((m) => new Date(m).toISOString()),
    total: line(TOTAL),
    series: keys.map((key) => ({ key, label: key, ...line(key) })),
    rules: { min_cell: rules.minCell, dominance_percent: Math.round(rules.dominance * 100) },
  };
}
