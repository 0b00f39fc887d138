import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@srs/testkit';

/**
 * A real Unbound on a loopback port with its own configuration in a
 * temporary folder (never the system's unbound service): one `rpz:` zone
 * loaded from a URL, and an auth-zone standing in for the Internet, which
 * the test machine cannot reach, holding the test domains' normal answers.
 * RPZ applies to auth-zone answers as it does to recursion.
 */
export interface UnboundResolver {
  /** the answer's A records, or the DNS error code (`ENOTFOUND` is NXDOMAIN) */
  resolve4(name: string): Promise<string[] | string>;
  /** fetches the RPZ from its URL now, as the SOA refresh timer would later */
  refreshZone(): void;
  stop(): Promise<void>;
}

export async function startUnbound(options: {
  rpzName: string;
  rpzUrl: string;
  normalZone: string;
  normalRecords: string[];
}): Promise<UnboundResolver> {
  const dir = mkdtempSync(join(tmpdir(), 'srs-unbound-'));
  const port = await freePort();
  const zone = options.normalZone;
  writeFileSync(
    join(dir, 'normal.zone'),
    [
      `$TTL 60`,
      `${zone}. IN SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 60`,
      `${zone}. IN NS ns.${zone}.`,
      `ns.${zone}. IN A 192.0.2.1`,
      ...options.normalRecords,
      '',
    ].join('\n'),
  );
  const conf = join(dir, 'unbound.conf');
  writeFileSync(
    conf,
    `server:
  interface: 127.0.0.1
  port: ${port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  use-syslog: no
  verbosity: 1
  module-config: "respip validator iterator"
auth-zone:
  name: "${zone}."
  zonefile: "${dir}/normal.zone"
  for-downstream: yes
  for-upstream: yes
remote-control:
  control-enable: yes
  control-interface: "${dir}/control.sock"
  control-use-cert: no
rpz:
  name: "${options.rpzName}."
  url: "${options.rpzUrl}"
  rpz-log: yes
`,
  );
  const check = spawnSync('unbound-checkconf', [conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`unbound-checkconf: ${check.stderr || check.stdout}`);
  const child: ChildProcess = spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return {
    async resolve4(name) {
      try {
        return await resolver.resolve4(name);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code ?? String(err);
      }
    },
    refreshZone() {
      const run = spawnSync('unbound-control', ['-c', conf, 'auth_zone_transfer', options.rpzName], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`unbound-control: ${run.stderr || run.stdout}\n${output}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
