/** How much one subscriber may send before the service stops answering for a while. */
export interface ReporterLimits {
  perMinute: number;
  perDay: number;
}

export type ReporterVerdict = 'ok' | 'throttled_first' | 'throttled';

/**
 * A subscriber's message counts: fixed windows from the first message of each
 * (a minute, a day); the day counts only messages the minute let through, so a
 * burst does not use up the whole day.
 */
export interface ReporterWindows {
  minuteStart: number;
  minute: number;
  dayStart: number;
  day: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Counts one message at `at` against the windows, and says whether it may be taken. */
export function countMessage(
  windows: ReporterWindows | undefined,
  at: number,
  limits: ReporterLimits,
): { windows: ReporterWindows; verdict: ReporterVerdict } {
  const w = windows ?? { minuteStart: at, minute: 0, dayStart: at, day: 0 };
  const minuteOpen = at - w.minuteStart < MINUTE_MS;
  const dayOpen = at - w.dayStart < DAY_MS;
  const next: ReporterWindows = {
    minuteStart: minuteOpen ? w.minuteStart : at,
    minute: (minuteOpen ? w.minute : 0) + 1,
    dayStart: dayOpen ? w.dayStart : at,
    day: dayOpen ? w.day : 0,
  };
  if (next.minute <= limits.perMinute) next.day++;
  return { windows: next, verdict: reporterVerdict(next, limits) };
}

/**
 * A subscriber over a limit is told once per window (`throttled_first`), then
 * dropped silently; their earlier messages were kept.
 */
export function reporterVerdict(counts: { minute: number; day: number }, limits: ReporterLimits): ReporterVerdict {
  if (counts.minute > limits.perMinute) return counts.minute === limits.perMinute + 1 ? 'throttled_first' : 'throttled';
  if (counts.day > limits.perDay) return counts.day === limits.perDay + 1 ? 'throttled_first' : 'throttled';
  return 'ok';
}
