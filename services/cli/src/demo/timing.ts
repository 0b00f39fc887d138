import type { Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Relative reporting activity by local hour: quiet at night, rising through
 * the morning, a peak in the early evening when people read their messages.
 */
export const HOURLY: readonly number[] = [
  0.15, 0.08, 0.05, 0.05, 0.06, 0.12, 0.3, 0.6, 0.95, 1.15, 1.2, 1.15, 1.2, 1.15, 1.1, 1.05, 1.1, 1.2, 1.3, 1.3, 1.15, 0.9, 0.6, 0.3,
];

/** Relative activity by day of the week, Sunday first (as Date.getUTCDay): bulk senders work on weekdays. */
export const WEEKDAY: readonly number[] = [0.6, 1, 1.02, 1, 1, 0.95, 0.7];

/** The demo period: whole UTC days, the last one up to now. */
export interface DemoWindow {
  /** midnight UTC of the first day */
  start: number;
  days: number;
  now: number;
}

export function demoWindow(now: Date, days: number): DemoWindow {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return { start: today - (days - 1) * DAY, days, now: now.getTime() };
}

/** How a campaign's reports spread over its days: a burst that fades, or steady when it runs all along. */
export function campaignDays(window: DemoWindow, start: number, length: number): (day: number) => number {
  const first = Math.min(window.days - 1, Math.floor(start * window.days));
  const span = Math.max(1, Math.round(length * window.days));
  const last = Math.min(window.days - 1, first + span - 1);
  const steady = length >= 0.9;
  const fade = Math.max(1, span / 3);
  return (day) => (day < first || day > last ? 0 : steady ? 1 : Math.exp(-(day - first) / fade) + 0.1);
}

/** Background reports grow slowly over the period, as a service that is getting known. */
export function backgroundDays(window: DemoWindow): (day: number) => number {
  return (day) => 1 + (0.3 * day) / window.days;
}

/**
 * A time in the window: a day drawn by its weight and its weekday, an hour of
 * the subscriber's local day by HOURLY, any minute and second; never after now.
 */
export function drawTime(random: Random, window: DemoWindow, dayWeight: (day: number) => number, utcOffsetHours: number): Date {
  const days = Array.from({ length: window.days }, (_, d) => d);
  const weight = (d: number) => dayWeight(d) * WEEKDAY[new Date(window.start + d * DAY).getUTCDay()]!;
  const hours = Array.from({ length: 24 }, (_, h) => h);
  for (let attempt = 0; attempt < 50; attempt++) {
    const day = random.weighted(days, weight);
    const hour = random.weighted(hours, (h) => HOURLY[h]!);
    const at = window.start + day * DAY + (hour - utcOffsetHours) * HOUR + Math.floor(random.next() * HOUR);
    if (at >= window.start && at < window.now) return new Date(at);
  }
  // Only a window made of the first hours of today gets here.
  return new Date(window.now - Math.floor(random.next() * Math.min(HOUR, window.now - window.start)) - 1);
}
