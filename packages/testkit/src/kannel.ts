import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ids';

const run = promisify(execFile);
export const KANNEL_HARNESS_DIR = path.resolve(__dirname, '..', '..', '..', 'infra', 'kannel');

export interface KannelHarness {
  dir: string;
  sendsmsUrl: string;
  /** Sends MO lines (`SENDER RECEIVER text MESSAGE`, `sleep N`) through the fake SMSC; resolves with the MT lines that came back. */
  converse(lines: string[], lingerSeconds?: number): Promise<string[]>;
  stop(): Promise<void>;
}

export function kannelInstalled(): boolean {
  return existsSync('/usr/sbin/bearerbox') && existsSync('/usr/lib/kannel/test/fakesmsc');
}

/** Starts a real Kannel (bearerbox + smsbox + fake SMSC) on free ports, delivering MO to `moUrl`. */
export async function startKannel(moUrl: string, method: 'get' | 'post' = 'get'): Promise<KannelHarness> {
  const [admin, smsbox, fakesmsc, sendsms] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env = {
    ...process.env,
    KANNEL_MO_URL: moUrl,
    KANNEL_MO_METHOD: method,
    KANNEL_ADMIN_PORT: String(admin),
    KANNEL_SMSBOX_PORT: String(smsbox),
    KANNEL_FAKESMSC_PORT: String(fakesmsc),
    KANNEL_SENDSMS_PORT: String(sendsms),
  };
  const { stdout } = await run(path.join(KANNEL_HARNESS_DIR, 'up.sh'), { env, timeout: 300_000 });
  const dir = stdout.trim().split('\n').pop()!;
  return {
    dir,
    sendsmsUrl: `http://127.0.0.1:${sendsms}/cgi-bin/sendsms`,
    converse: (lines, lingerSeconds = 5) =>
      new Promise((resolve, reject) => {
        const child = spawn(path.join(KANNEL_HARNESS_DIR, 'converse.sh'), [], {
          env: { ...env, LINGER: String(lingerSeconds) },
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.on('error', reject);
        child.on('exit', () => resolve(out.split('\n').filter((l) => l.startsWith('MT '))));
        // fakesmsc takes one message per read of its input: a pause after each
        // keeps two messages from arriving in one read, where the second would wait for EOF.
        child.stdin.end(lines.flatMap((l) => (l.startsWith('sleep ') ? [l] : [l, 'sleep 0.3'])).join('\n') + '\n');
      }),
    stop: async () => {
      await run(path.join(KANNEL_HARNESS_DIR, 'down.sh'), [dir]);
    },
  };
}

/** A reply the handset got, as fakesmsc printed it. */
export interface KannelReply {
  from: string;
  coding: string;
  text: string;
}

const MT = /^MT (\S+) (\S+) (text|ucs-2|ucs2|data) (.*)$/;

/** fakesmsc prints texts URL-escaped; UCS-2 ones as escaped UTF-16BE bytes. */
function decodeMt(coding: string, raw: string): string {
  if (coding !== 'ucs-2') return decodeURIComponent(raw.replace(/\+/g, ' '));
  const bytes = Buffer.from(raw.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return bytes.swap16().toString('utf16le');
}

/** The replies to `msisdn` among the MT lines `converse` returned, decoded, in order. */
export function kannelRepliesTo(lines: string[], msisdn: string): KannelReply[] {
  return lines
    .map((l) => MT.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[2] === msisdn)
    .map((m) => ({ from: m[1]!, coding: m[3]!, text: decodeMt(m[3]!, m[4]!) }));
}
