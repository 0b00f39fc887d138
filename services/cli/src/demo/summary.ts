import type { DemoReport } from './generate';
import { OUTCOMES, type Outcome, type SendSummary } from './send';

/** What the plan holds, in a few lines: never a reporter's number. */
export function describePlan(reports: readonly DemoReport[]): string[] {
  const count = <K extends string>(key: (r: DemoReport) => K | undefined) => {
    const counts = new Map<K, number>();
    for (const r of reports) {
      const k = key(r);
      if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  const list = (counts: Map<string, number>) => [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  const kinds = count((r) => r.kind);
  const campaigns = count((r) => r.campaign).size;
  const senderCountries = [...count((r) => (r.senderKind === 'msisdn' ? callingCode(r.sender) : undefined)).keys()];
  const times = reports.map((r) => r.receivedAt.getTime());
  return [
    `operators: ${list(count((r) => r.operatorId))}`,
    `${kinds.get('campaign') ?? 0} in ${campaigns} campaigns, ${kinds.get('spam') ?? 0} one-off spam, ${kinds.get('ham') ?? 0} legitimate messages reported by mistake`,
    `senders: ${list(count((r) => r.senderKind))} (numbers from ${senderCountries.map((c) => `+${c}`).join(' ')})`,
    `channels: ${list(count((r) => r.channel))}`,
    times.length
      ? `received from ${new Date(Math.min(...times)).toISOString()} to ${new Date(Math.max(...times)).toISOString()}`
      : 'nothing to send',
  ];
}

export function describeSummary(summary: SendSummary, seconds: number): string[] {
  const outcomes = (o: Record<Outcome, number>) =>
    OUTCOMES.filter((k) => o[k] > 0)
      .map((k) => `${o[k]} ${k}`)
      .join(', ') || 'nothing';
  const lines = [`sent ${summary.sent} reports in ${seconds.toFixed(1)} s: ${outcomes(summary.outcomes)}`];
  for (const [operator, o] of Object.entries(summary.byOperator).sort()) lines.push(`  ${operator.padEnd(12)} ${outcomes(o)}`);
  for (const [channel, o] of Object.entries(summary.byChannel)) {
    if (OUTCOMES.some((k) => o[k] > 0)) lines.push(`  via ${channel.padEnd(8)} ${outcomes(o)}`);
  }
  const errors = Object.entries(summary.errors);
  if (errors.length) lines.push(`  errors: ${errors.map(([code, n]) => `${code} ×${n}`).join(', ')}`);
  if (summary.outcomes.duplicate > 0)
    lines.push('duplicates were sent before with this --seed and --reports: give another --seed to add more');
  return lines;
}

/** The country calling code of an E.164 number, enough to show where senders are from. */
function callingCode(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    if (KNOWN_CODES.has(code)) return code;
  }
  return digits.slice(0, 3);
}

const KNOWN_CODES = new Set(['1', '7', '33', '44', '61', '62', '91', '234']);
