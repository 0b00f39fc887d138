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
    converse: (lines, lingerSeconds = 5) => converseThroughFakeSmsc(fakesmsc, lines, lingerSeconds),
    stop: async () => {
      await run(path.join(KANNEL_HARNESS_DIR, 'down.sh'), [dir]);
    },
  };
}

const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';
const SENT = /fakesmsc: sent message (\d+)/;
const GOT = /Got message \d+: <(.*)>$/;

/**
 * Plays `lines` through a fakesmsc of its own, as the harness's converse.sh
 * does, but writes each MO line only once fakesmsc has sent the one before.
 * fakesmsc takes one message per read of its input, and it reads only once it
 * has connected: lines written ahead (converse.sh writes them after a fixed
 * pause) pile up in the pipe on a loaded machine, and all but the first wait
 * for the end of the input, after the test stopped listening.
 */
function converseThroughFakeSmsc(port: number, lines: string[], lingerSeconds: number): Promise<string[]> {
  // fakesmsc aborts when its input ends; no core file for that.
  const child = spawn('/bin/sh', ['-c', `ulimit -c 0; exec ${FAKESMSC} -H 127.0.0.1 -r "$0"`, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const mt: string[] = [];
  let sent = 0;
  let pending = '';
  const onOutput = (d: Buffer) => {
    pending += d.toString('utf8');
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const line of complete) {
      const got = GOT.exec(line);
      if (got) mt.push(`MT ${got[1]}`);
      const ack = SENT.exec(line);
      if (ack) sent = Math.max(sent, Number(ack[1]));
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
  return (async () => {
    try {
      let written = 0;
      for (const line of lines) {
        if (line.startsWith('sleep ')) {
          await sleep(Number(line.slice('sleep '.length)));
          continue;
        }
        if (!line.trim()) continue;
        child.stdin!.write(`${line}\n`);
        written++;
        const deadline = Date.now() + 20_000;
        while (sent < written) {
          if (child.exitCode !== null) throw new Error(`fakesmsc exited before sending MO line ${written}: ${line}`);
          if (Date.now() > deadline) throw new Error(`fakesmsc did not send MO line ${written} within 20 s: ${line}`);
          await sleep(0.02);
        }
      }
      await sleep(lingerSeconds);
      return [...mt];
    } finally {
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(killer);
    }
  })();
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
  const bytes = Buffer.from(
    raw.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
  return bytes.swap16().toString('utf16le');
}

/** The replies to `msisdn` among the MT lines `converse` returned, decoded, in order. */
export function kannelRepliesTo(lines: string[], msisdn: string): KannelReply[] {
  return lines
    .map((l) => MT.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[2] === msisdn)
    .map((m) => ({ from: m[1]!, coding: m[3]!, text: decodeMt(m[3]!, m[4]!) }));
}
