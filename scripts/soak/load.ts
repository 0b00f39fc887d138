import { sleep } from './util';

export interface LoadSettings {
  /** base URL of the intake, e.g. http://127.0.0.1:3000 */
  intakeUrl: string;
  /** names this run's message ids and texts */
  runId: string;
  ratePerSecond: number;
  durationMs: number;
  /** how long messages not yet acknowledged keep being retried after the load stops */
  retryForMs: number;
  /**
   * subscribers the messages are spread over, round robin: the worker throttles a subscriber over
   * RATE_LIMIT_REPORTER_PER_MINUTE / _PER_DAY after acknowledging their messages, so keep each under them
   */
  reporters: number;
  requestTimeoutMs: number;
}

/** One MO message and what became of it. */
export interface Delivery {
  /** Kannel's message id (%I); the text carries it too, in brackets */
  id: string;
  attempts: number;
  /** the intake's answer to the attempt that was acknowledged (2xx): recorded in the inbox, or recorded before (a redelivery) */
  outcome?: 'accepted' | 'duplicate' | string;
  /** a 4xx other than 429: the message will never be accepted (a bug in the soak or the intake) */
  rejected?: number;
}

const SPAM_TEXTS = [
  'URGENT your parcel is held at the depot, pay the £1.45 fee at http://rm-fee.example/track',
  'Your bank account has been suspended. Verify your details now at https://secure-verify.example/login',
  'Congratulations! You have won a £500 voucher. Claim it today at http://prize-claim.example',
  'HMRC: you are due a tax refund of £212.40, apply at http://hmrc-refund.example before midnight',
  'Your energy bill discount is ready, confirm your address at https://energy-rebate.example/apply',
  'Missed delivery: reschedule your package at http://parcel-resched.example/xk4 or it will be returned',
];
const ALPHA_SENDERS = ['PARCELCO', 'HMRC-INFO', 'MYBANK', 'PRIZEDRAW', 'ENERGYCO'];

/**
 * The text of message `n`: a complete report in one message, in either of the
 * forms the parser reads as "spam text with its sender" (core parseMessage:
 * `SPAM <sender> <text>` and `<sender>*<text>`). The conversation state machine
 * files each as one report keyed by this message's id, so one acknowledged
 * message is exactly one stored report. The id in brackets lets the count find
 * a report by its text as well as by its gateway message id.
 */
export function reportText(n: number, id: string): string {
  const spam = SPAM_TEXTS[n % SPAM_TEXTS.length]!;
  if (n % 2 === 0) return `SPAM 07700900${String(n % 1000).padStart(3, '0')} ${spam} [${id}]`;
  return `${ALPHA_SENDERS[n % ALPHA_SENDERS.length]}*${spam} [${id}]`;
}

/**
 * A steady stream of Kannel MO requests (get-url, as smsbox sends them) to the
 * real intake, each with a unique message id. Like a gateway, it keeps every
 * message that was not acknowledged with a 2xx (503, 429, 5xx, a refused or
 * broken connection, a timeout) and delivers it again later with the same id,
 * until it is acknowledged or the retry period ends.
 */
export class LoadGenerator {
  readonly deliveries: Delivery[] = [];
  /** answers by HTTP status, and failed attempts by kind ("refused", "reset", "timeout", ...) */
  readonly answers = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** HTTP requests sent and not answered yet */
  requestsInFlight = 0;
  private retryUntil = Number.POSITIVE_INFINITY;

  constructor(private readonly settings: LoadSettings) {}

  /** Sends at the set rate for the set duration, then waits for every message to be acknowledged (or for the retry period to end). */
  async run(onLoadEnd?: () => void): Promise<void> {
    const { ratePerSecond, durationMs } = this.settings;
    const started = Date.now();
    for (;;) {
      const elapsed = Date.now() - started;
      if (elapsed >= durationMs) break;
      const due = Math.floor((elapsed / 1000) * ratePerSecond);
      while (this.deliveries.length <= due) this.send(this.deliveries.length);
      await sleep(10);
    }
    this.retryUntil = Date.now() + this.settings.retryForMs;
    onLoadEnd?.();
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  /** 2xx answers so far (retries of one message included) */
  acknowledgements(): number {
    let n = 0;
    for (const [kind, count] of this.answers) if (/^2\d\d$/.test(kind)) n += count;
    return n;
  }

  progress(): { sent: number; acknowledged: number; pending: number } {
    const acknowledged = this.deliveries.filter((d) => d.outcome !== undefined).length;
    return { sent: this.deliveries.length, acknowledged, pending: this.inFlight.size };
  }

  private send(n: number): void {
    const delivery: Delivery = { id: `soak-${this.settings.runId}-${n}`, attempts: 0 };
    this.deliveries.push(delivery);
    const task = this.deliver(n, delivery).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async deliver(n: number, delivery: Delivery): Promise<void> {
    const url = this.moUrl(n, delivery.id);
    while (Date.now() < this.retryUntil) {
      delivery.attempts++;
      const answer = await this.attempt(url);
      this.count(answer.kind);
      if (answer.status !== undefined && answer.status >= 200 && answer.status < 300) {
        delivery.outcome = answer.outcome ?? 'accepted';
        return;
      }
      if (answer.status !== undefined && answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
        delivery.rejected = answer.status;
        return;
      }
      // Kept by the gateway and delivered again: after Retry-After when the intake gave one, else a second.
      await sleep(Math.min(answer.retryAfterMs ?? 1000, 5000));
    }
  }

  private async attempt(url: string): Promise<{ kind: string; status?: number; outcome?: string; retryAfterMs?: number }> {
    this.requestsInFlight++;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.settings.requestTimeoutMs) });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        kind: String(res.status),
        status: res.status,
        ...(body.status ? { outcome: body.status } : {}),
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    } catch (err) {
      return { kind: failureKind(err) };
    } finally {
      this.requestsInFlight--;
    }
  }

  private count(kind: string): void {
    this.answers.set(kind, (this.answers.get(kind) ?? 0) + 1);
  }

  /** Kannel's get-url: from=%p&to=%P&text=%a&id=%I&smsc=%i&coding=%c&ts=%t */
  private moUrl(n: number, id: string): string {
    const reporter = `447710${String(n % this.settings.reporters).padStart(6, '0')}`;
    const ts = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const fields = { from: reporter, to: '7726', text: reportText(n, id), id, smsc: 'soak', coding: '0', ts };
    const query = Object.entries(fields)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return `${this.settings.intakeUrl}/v1/gateways/kannel/mo?${query}`;
  }
}

/** What went wrong with an attempt that got no HTTP answer. */
function failureKind(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'reset';
  return code ?? 'network error';
}
