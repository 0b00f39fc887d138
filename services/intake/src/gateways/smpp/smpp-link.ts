import type { SmppConfig } from '@srs/config';
import type { Logger } from '@srs/logging';
import * as smpp from 'smpp';

/** The ESME could not take the message now: the SMSC keeps it and delivers it again (SMPP 3.4, 5.1.3). */
export const ESME_RX_T_APPNACK = 0x64;
/** The ESME will never take this message: the SMSC should not deliver it again. */
export const ESME_RX_P_APPNACK = 0x65;

/** What the link answers a deliver_sm with, once its handler has settled. */
export type DeliveryVerdict = 'accepted' | 'retry_later' | 'refused';

export interface SmppLinkEvents {
  /** A deliver_sm: the SMSC is answered with what the promise settles to (a rejection: retry later). */
  onDeliver(pdu: smpp.PDU): Promise<DeliveryVerdict>;
  onBound?(): void;
  onDropped?(reason: string): void;
}

/** submit_sm answered with an error status: `status` is the SMSC's command_status. */
export class SubmitRefusedError extends Error {
  constructor(readonly status: number) {
    super(`the SMSC refused submit_sm with status 0x${status.toString(16).padStart(8, '0')}`);
    this.name = 'SubmitRefusedError';
  }
}

/** The link dropped, or the SMSC did not answer in time: the message may or may not have been taken. */
export class LinkDownError extends Error {
  constructor(reason: string) {
    super(`SMPP link down: ${reason}`);
    this.name = 'LinkDownError';
  }
}

/** How a session binds: both ways at once, or one way (an SMSC that takes only separate binds). */
export type BindRole = 'transceiver' | 'receiver' | 'transmitter';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * One SMPP 3.4 session to an SMSC, bound as a transceiver (or as a receiver
 * or transmitter), kept up: enquire_link while
 * idle, the SMSC's own enquire_link and unbind answered, and after any drop
 * (socket closed, a request unanswered for SMPP_RESPONSE_TIMEOUT_MS, bind
 * refused) bound again after a wait that doubles from SMPP_RECONNECT_MIN_MS to
 * SMPP_RECONNECT_MAX_MS. At most `window` submit_sm are outstanding; further
 * submits wait for an answer, and for the bind.
 */
export class SmppLink {
  private session: smpp.Session | undefined;
  private bound = false;
  private stopped = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  /** requests sent and not yet answered, by sequence number: their answer deadline */
  private readonly deadlines = new Map<number, { timer: NodeJS.Timeout; fail(err: Error): void }>();
  private outstandingSubmits = 0;
  private sequence = 0;
  private readonly windowWaiters: Waiter[] = [];
  private readonly bindWaiters: Waiter[] = [];
  /** binds made since start, for readiness and tests */
  binds = 0;

  constructor(
    private readonly config: SmppConfig,
    private readonly logger: Logger,
    private readonly events: SmppLinkEvents,
    readonly role: BindRole = 'transceiver',
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** submit_sm outstanding on the bind at this moment */
  get outstanding(): number {
    return this.outstandingSubmits;
  }

  /**
   * Sends one submit_sm once the link is bound and the window has room, and
   * resolves with the SMSC's message id. Rejects with SubmitRefusedError when
   * the SMSC refuses it, LinkDownError when the link drops first.
   */
  async submit(fields: Record<string, unknown>): Promise<string> {
    await this.untilBound();
    await this.windowSlot();
    try {
      const session = this.session;
      if (!session || !this.bound) throw new LinkDownError('not bound');
      const resp = await this.request(session, 'submit_sm', fields);
      if (resp.command_status !== smpp.ESME_ROK) throw new SubmitRefusedError(resp.command_status);
      return typeof resp.message_id === 'string' ? resp.message_id : '';
    } finally {
      this.releaseWindowSlot();
    }
  }

  /** Unbinds (waiting briefly for the answer) and closes; no reconnection after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    if (session && this.bound) {
      await this.request(session, 'unbind', {}).catch(() => undefined);
    }
    this.drop('stopped');
    for (const waiter of this.bindWaiters.splice(0)) waiter.reject(new LinkDownError('stopped'));
  }

  private connect(): void {
    if (this.stopped) return;
    const session = smpp.connect({ host: this.config.host, port: this.config.port });
    this.session = session;
    session.on('connect', () => void this.bind(session));
    session.on('error', (err: Error) => this.logger.warn({ err: { message: err.message } }, 'SMPP link error'));
    session.on('close', () => {
      if (this.session === session) this.drop('connection closed');
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      if (this.session === session) this.drop('the SMSC unbound');
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => void this.deliver(session, pdu));
    session.on('pdu', () => this.scheduleKeepAlive(session));
    session.on('unknown', (pdu: smpp.PDU) => session.send(pdu.response()));
  }

  private async bind(session: smpp.Session): Promise<void> {
    try {
      const resp = await this.request(session, `bind_${this.role}`, {
        system_id: this.config.systemId,
        password: this.config.password,
        system_type: this.config.systemType,
        interface_version: 0x34,
      });
      if (resp.command_status !== smpp.ESME_ROK) {
        this.logger.warn({ status: resp.command_status, role: this.role }, 'SMSC refused the bind');
        this.drop(`bind refused with status ${resp.command_status}`);
        return;
      }
    } catch (err) {
      if (this.session === session) this.drop(err instanceof Error ? err.message : 'bind failed');
      return;
    }
    if (this.session !== session) return;
    this.bound = true;
    this.failures = 0;
    this.binds += 1;
    this.logger.info(
      { host: this.config.host, port: this.config.port, systemId: this.config.systemId, role: this.role },
      `SMPP bound as ${this.role}`,
    );
    this.scheduleKeepAlive(session);
    for (const waiter of this.bindWaiters.splice(0)) waiter.resolve();
    this.events.onBound?.();
  }

  /** The answer to a deliver_sm goes out only once its handler has settled: accepted means durably queued. */
  private async deliver(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    let verdict: DeliveryVerdict;
    try {
      verdict = await this.events.onDeliver(pdu);
    } catch {
      verdict = 'retry_later';
    }
    const status = verdict === 'accepted' ? smpp.ESME_ROK : verdict === 'refused' ? ESME_RX_P_APPNACK : ESME_RX_T_APPNACK;
    session.send(pdu.response({ command_status: status }));
  }

  /** Sends a request and resolves with its answer, or drops the link when none comes in time. */
  private request(session: smpp.Session, command: string, fields: Record<string, unknown>): Promise<smpp.PDU> {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    const pdu = new smpp.PDU(command, { ...fields, sequence_number: this.sequence });
    return new Promise((resolve, reject) => {
      const seq = pdu.sequence_number;
      const timer = setTimeout(() => {
        this.deadlines.delete(seq);
        reject(new LinkDownError(`no answer to ${command} within ${this.config.responseTimeoutMs} ms`));
        if (this.session === session) this.drop(`no answer to ${command}`);
      }, this.config.responseTimeoutMs);
      this.deadlines.set(seq, { timer, fail: reject });
      const sent = session.send(pdu, (resp) => {
        clearTimeout(timer);
        this.deadlines.delete(seq);
        resolve(resp);
      });
      if (!sent) {
        clearTimeout(timer);
        this.deadlines.delete(seq);
        reject(new LinkDownError('not connected'));
      }
    });
  }

  /** enquire_link after SMPP_ENQUIRE_LINK_MS without traffic; its answer (or its absence) tells whether the link is alive. */
  private scheduleKeepAlive(session: smpp.Session): void {
    clearTimeout(this.keepAliveTimer);
    if (!this.bound || this.session !== session) return;
    this.keepAliveTimer = setTimeout(() => {
      if (this.bound && this.session === session) void this.request(session, 'enquire_link', {}).catch(() => undefined);
    }, this.config.enquireLinkMs);
  }

  private drop(reason: string): void {
    const session = this.session;
    const wasBound = this.bound;
    this.session = undefined;
    this.bound = false;
    clearTimeout(this.keepAliveTimer);
    for (const [seq, pending] of this.deadlines) {
      clearTimeout(pending.timer);
      pending.fail(new LinkDownError(reason));
      this.deadlines.delete(seq);
    }
    session?.removeAllListeners();
    session?.on('error', () => undefined);
    session?.destroy();
    if (wasBound) this.events.onDropped?.(reason);
    if (this.stopped) return;
    this.failures += 1;
    const delay = Math.min(this.config.reconnect.maxMs, this.config.reconnect.minMs * 2 ** (this.failures - 1));
    this.logger.warn({ reason, role: this.role, retryInMs: delay, attempt: this.failures }, 'SMPP link down; binding again after a wait');
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private untilBound(): Promise<void> {
    if (this.bound) return Promise.resolve();
    if (this.stopped) return Promise.reject(new LinkDownError('stopped'));
    return new Promise((resolve, reject) => this.bindWaiters.push({ resolve, reject }));
  }

  private windowSlot(): Promise<void> {
    if (this.outstandingSubmits < this.config.window) {
      this.outstandingSubmits += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) =>
      this.windowWaiters.push({
        resolve: () => {
          this.outstandingSubmits += 1;
          resolve();
        },
        reject,
      }),
    );
  }

  private releaseWindowSlot(): void {
    this.outstandingSubmits -= 1;
    this.windowWaiters.shift()?.resolve();
  }
}
