/**
 * `npm test` runs this before jest: the suites drive real Kannel, Redis
 * binaries and Chromium, so a fresh machine gets them here (as root, from
 * Debian's packages) or is told in one line what to install.
 */
import { ensureTestTools } from '@srs/devstack';

try {
  ensureTestTools((line) => console.log(`[test tools] ${line}`));
} catch (err) {
  console.error(`[test tools] ${(err as Error).message}`);
  process.exit(1);
}
