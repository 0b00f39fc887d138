export type Grain = 'hour' | 'day' | 'week';
export const GRAINS: readonly Grain[] = ['hour', 'day', 'week'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The start of the bucket holding `at`, in UTC; weeks start on Monday (ISO 8601). */
export function bucketStart(grain: Grain, at: Date | number): Date {
  const t = typeof at === 'number' ? at : at.getTime();
  if (grain === 'hour') return new Date(Math.floor(t / HOUR) * HOUR);
  const day = Math.floor(t / DAY) * DAY;
  if (grain === 'day') return new Date(day);
  // 1970-01-01 was a Thursday: day number 0 is weekday 3 counted from Monday.
  const weekday = (Math.floor(t / DAY) + 3) % 7;
  return new Date(day - weekday * DAY);
}

export function nextBucket(grain: Grain, start: Date): Date {
  const step = grain === 'hour' ? HOUR : grain === 'day' ? DAY : 7 * DAY;
  return new Date(start.getTime() + step);
}

/** The buckets from the one holding `from` to the last one starting before `to`. */
export function bucketsBetween(grain: Grain, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let b = bucketStart(grain, from); b < to; b = nextBucket(grain, b)) out.push(b);
  return out;
}

/** The next coarser grain, whose buckets are sums of this one's. */
export function parentGrain(grain: Grain): Grain | undefined {
  return grain === 'hour' ? 'day' : grain === 'day' ? 'week' : undefined;
}
