import { existsSync } from 'node:fs';
import { aptInstall, which, type Log } from './processes';

/**
 * What the test suites run besides the PostgreSQL and Redis that
 * ensureLocalServices provides: real Kannel with its fake SMSC, redis-server
 * binaries for the disposable servers and the Redis Cluster, Chromium for
 * the dashboard, and promtool (shipped by Debian's prometheus) to lint every
 * service's /metrics. Each as its Debian package and how to tell it is there.
 */
const TEST_TOOLS: ReadonlyArray<{ pkg: string; present: () => boolean }> = [
  { pkg: 'kannel', present: () => existsSync('/usr/sbin/bearerbox') },
  { pkg: 'kannel-extras', present: () => existsSync('/usr/lib/kannel/test/fakesmsc') },
  { pkg: 'redis-server', present: () => which('redis-server') !== undefined },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  // The SMSC the SMPP gateway's tests bind to (services/intake/test/smsc-fake.pl).
  { pkg: 'libnet-smpp-perl', present: () => existsSync('/usr/share/perl5/Net/SMPP.pm') },
  { pkg: 'prometheus', present: () => which('promtool') !== undefined },
  // A real resolver loading the sharing API's DNS firewall zone by URL (services/sharing-api/test/rpz.test.ts); the test runs its own, never the system service.
  { pkg: 'unbound', present: () => existsSync('/usr/sbin/unbound') && existsSync('/usr/sbin/unbound-control') },
];

export function missingTestTools(): string[] {
  return TEST_TOOLS.filter((t) => !t.present()).map((t) => t.pkg);
}

/** Installs the missing ones from Debian's packages when root; otherwise throws one line naming them. */
export function ensureTestTools(log: Log): void {
  const missing = missingTestTools();
  if (missing.length === 0) return;
  aptInstall(missing, log);
  const still = missingTestTools();
  if (still.length > 0) throw new Error(`${still.join(', ')} still missing after apt-get install`);
}
