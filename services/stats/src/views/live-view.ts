import { noisyCount } from '@srs/core';
import type { StatsRepository } from '@srs/db';

const MINUTE = 60_000;
export const LIVE_MINUTES = 60;
/** The privacy budget of each live count: one report changes any answer's probability by at most e^ε. */
export const LIVE_EPSILON = 1;

export interface LiveAnswer {
  minutes: string[];
  total: { values: number[] };
  series: Array<{ key: string; label: string; values: number[] }>;
  epsilon: number;
}

/**
 * Reports received per minute over the last hour, by category ('pending'
 * until analysed). These are the only counts published as they happen, and
 * a minute is the sum nobody else publishes: suppressing small minutes
 * would not protect them, since the hour they add up to is published later.
 * So they carry calibrated noise instead (see noisyCount): no minute's count
 * is ever exact, and no combination with the exact hourly cells gives one.
 * Each minute's total is the sum of its noisy categories, so the chart adds up.
 */
export async function liveView(repository: StatsRepository, noiseKey: Buffer, now = new Date()): Promise<LiveAnswer> {
  const end = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const minutes = Array.from({ length: LIVE_MINUTES }, (_, i) => end - (LIVE_MINUTES - 1 - i) * MINUTE);
  const rows = await repository.liveCounts(new Date(minutes[0]!));
  const counts = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const byMinute = counts.get(r.category) ?? new Map<number, number>();
    byMinute.set(r.minute.getTime(), r.count);
    counts.set(r.category, byMinute);
  }
  // Every category seen in the hour gets a noisy value in every minute, zeros too: an absent zero would be exact.
  const series = [...counts.keys()].sort().map((key) => ({
    key,
    label: key,
    values: minutes.map((m) => noisyCount(counts.get(key)!.get(m) ?? 0, `${m}|${key}`, noiseKey, LIVE_EPSILON)),
  }));
  const total = { values: minutes.map((_, i) => series.reduce((sum, s) => sum + s.values[i]!, 0)) };
  return { minutes: minutes.map((m) => new Date(m).toISOString()), total, series, epsilon: LIVE_EPSILON };
}
