import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { eventually } from './eventually';

/** The SMSC the SMPP gateway's tests bind to: Perl on Debian's Net::SMPP (libnet-smpp-perl). */
export const SMSC_FAKE_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'services', 'intake', 'test', 'smsc-fake.pl');

export interface SmscEvent {
  event: string;
  [field: string]: unknown;
}

export interface SmscSubmit extends SmscEvent {
  fields: Record<string, string | number>;
  short_message_hex: string;
  outstanding: number;
}

export interface SmscDeliver {
  from: string;
  ton?: number;
  to: string;
  dataCoding: number;
  octets: Buffer;
  esmClass?: number;
  sar?: { reference: number; total: number; seq: number };
}

export interface SmscFake {
  port: number;
  /** every event the SMSC reported, in order */
  events: SmscEvent[];
  /** Resolves with the first event (after `from`, an index into `events`) that matches, or throws naming what came. */
  waitFor(match: (e: SmscEvent) => boolean, from?: number, timeoutMs?: number): Promise<SmscEvent>;
  /**
   * Sends a deliver_sm with these octets (and esm_class, and the sar_ TLVs of a
   * part of a concatenated message); resolves with the SMSC's answer (deliver_sm_resp) to it.
   */
  deliver(mo: SmscDeliver): Promise<{ seq: number; status: number }>;
  command(line: string): void;
  stop(): Promise<void>;
}

export function netSmppInstalled(): boolean {
  return existsSync('/usr/share/perl5/Net/SMPP.pm');
}

/** Starts the Perl SMSC on a free loopback port, taking binds with these credentials. */
export async function startSmscFake(credentials = { systemId: 'srs', password: 'srs-smpp' }): Promise<SmscFake> {
  const child: ChildProcess = spawn('perl', [SMSC_FAKE_SCRIPT, 'system_id', credentials.systemId, 'password', credentials.password], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: SmscEvent[] = [];
  let stderr = '';
  let buffer = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      events.push(JSON.parse(buffer.slice(0, nl)) as SmscEvent);
      buffer = buffer.slice(nl + 1);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = async (match: (e: SmscEvent) => boolean, from = 0, timeoutMs = 15_000): Promise<SmscEvent> => {
    const found = await eventually(
      () => events.slice(from).find(match),
      (e) => e !== undefined || child.exitCode !== null,
      timeoutMs,
    );
    if (!found) throw new Error(`the SMSC did not report the expected event; it reported ${JSON.stringify(events.slice(from))}${stderr}`);
    return found;
  };
  const command = (line: string) => child.stdin!.write(`${line}\n`);
  const listening = await waitFor((e) => e.event === 'listening', 0, 10_000);

  return {
    port: Number(listening.port),
    events,
    waitFor,
    command,
    deliver: async (mo) => {
      const from = events.length;
      const sar = mo.sar ? ` ${mo.sar.reference} ${mo.sar.total} ${mo.sar.seq}` : '';
      command(`deliver ${mo.from} ${mo.ton ?? 1} ${mo.to} ${mo.dataCoding} ${mo.octets.toString('hex')} ${mo.esmClass ?? 0}${sar}`);
      const sent = await waitFor((e) => e.event === 'deliver_sm', from);
      const resp = await waitFor((e) => e.event === 'deliver_sm_resp' && e.seq === sent.seq, from);
      return { seq: Number(resp.seq), status: Number(resp.status) };
    },
    stop: async () => {
      if (child.exitCode === null) {
        command('quit');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
