import type { DemoReport } from './generate';

/**
 * Sends the planned reports to a running intake over HTTP, as operators'
 * apps (POST /v1/reports with the operator's key) and Kannel (GET
 * /v1/gateways/kannel/mo, the text then the sender) would. Nothing here
 * prints or keeps a reporter's number: outcomes are counted, errors by code.
 */

export type Outcome = 'accepted' | 'duplicate' | 'throttled' | 'refused' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['accepted', 'duplicate', 'throttled', 'refused', 'failed'];

export interface SendOptions {
  intakeUrl: string;
  /** each operator's app API key (scope report) */
  keys: ReadonlyMap<string, string>;
  /** where the Kannel messages are addressed */
  shortCode: string;
  /** the intake Kannel connection's MO token, sent as Kannel's get-url would */
  kannelToken?: string;
  concurrency: number;
  timeoutMs?: number;
  /** attempts for one request the intake asks to retry (429, 503) */
  attempts?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SendSummary {
  sent: number;
  outcomes: Record<Outcome, number>;
  byOperator: Record<string, Record<Outcome, number>>;
  byChannel: Record<DemoReport['channel'], Record<Outcome, number>>;
  /** why requests were refused or failed: the intake's error code, an HTTP status or a network error */
  errors: Record<string, number>;
}

export class IntakeUnreachableError extends Error {}

/** Fails with a message that says what to do when the intake does not answer or is not ready. */
export async function checkIntake(intakeUrl: string, timeoutMs = 3000): Promise<void> {
  let res: Response;
  try {
    res = await fetch(new URL('/readyz', intakeUrl), { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new IntakeUnreachableError(
      `cannot reach the intake at ${intakeUrl} (${networkCode(err)}): is npm start running? (or give its URL with --intake)`,
    );
  }
  if (res.status !== 200) {
    const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, string> };
    const down = Object.entries(body.checks ?? {})
      .filter(([, state]) => state !== 'ok')
      .map(([name]) => name);
    throw new IntakeUnreachableError(
      `the intake at ${intakeUrl} is not ready (${down.length ? `${down.join(', ')} down` : `HTTP ${res.status}`}): is npm start running fully?`,
    );
  }
}

export async function sendReports(reports: readonly DemoReport[], options: SendOptions): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, outcomes: tally(), byOperator: {}, byChannel: { app: tally(), kannel: tally() }, errors: {} };
  let next = 0;
  const worker = async () => {
    while (next < reports.length) {
      const report = reports[next++]!;
      const { outcome, error } = report.channel === 'kannel' ? await viaKannel(report, options) : await viaApp(report, options);
      summary.sent++;
      summary.outcomes[outcome]++;
      (summary.byOperator[report.operatorId] ??= tally())[outcome]++;
      summary.byChannel[report.channel][outcome]++;
      if (error) summary.errors[error] = (summary.errors[error] ?? 0) + 1;
      options.onProgress?.(summary.sent, reports.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, reports.length)) }, worker));
  return summary;
}

interface Result {
  outcome: Outcome;
  error?: string;
}

async function viaApp(report: DemoReport, options: SendOptions): Promise<Result> {
  const key = options.keys.get(report.operatorId);
  if (!key) return { outcome: 'failed', error: `no_key_for_${report.operatorId}` };
  return request(options, new URL('/v1/reports', options.intakeUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      reporter: report.reporter,
      sender: report.sender,
      text: report.text,
      id: report.id,
      receivedAt: report.receivedAt.toISOString(),
    }),
  });
}

/** A subscriber's two SMS to the short code: the spam, then (a little later, by the gateway's clock) who sent it. */
async function viaKannel(report: DemoReport, options: SendOptions): Promise<Result> {
  const message = (suffix: string, text: string, at: Date) => {
    const url = new URL('/v1/gateways/kannel/mo', options.intakeUrl);
    const query = {
      from: report.reporter,
      to: options.shortCode,
      text,
      id: `${report.id}-${suffix}`,
      ts: kannelTime(at),
      ...(options.kannelToken ? { token: options.kannelToken } : {}),
    };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return request(options, url, { method: 'GET' });
  };
  const first = await message('text', report.text, report.receivedAt);
  if (first.outcome !== 'accepted') return first;
  return message('sender', report.senderTyped, new Date(report.receivedAt.getTime() + 45_000));
}

/** Kannel's %t: "YYYY-MM-DD HH:MM:SS" in UTC. */
export function kannelTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

async function request(options: SendOptions, url: URL, init: RequestInit): Promise<Result> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (err) {
      return { outcome: 'failed', error: networkCode(err) };
    }
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: { code?: string } };
    if (res.status === 202 || res.status === 200) {
      const status = body.status;
      return status === 'duplicate' || status === 'throttled' ? { outcome: status } : { outcome: 'accepted' };
    }
    // The intake asks to come back later when a connection is over its limit or its queue is down.
    if ((res.status === 429 || res.status === 503) && attempt < attempts) {
      const wait = Math.min(5, Math.max(1, Number(res.headers.get('retry-after')) || 1));
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const error = body.error?.code ?? `http_${res.status}`;
    return { outcome: res.status >= 500 || res.status === 429 ? 'failed' : 'refused', error };
  }
}

/** ECONNREFUSED, timeout…: what failed, from fetch's error (read by shape: it may come from another realm). */
function networkCode(err: unknown): string {
  const e = (err ?? {}) as { name?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.name ?? 'error';
  return code === 'TimeoutError' ? 'timeout' : code;
}

function tally(): Record<Outcome, number> {
  return { accepted: 0, duplicate: 0, throttled: 0, refused: 0, failed: 0 };
}
