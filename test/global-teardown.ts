import type { LocalServices } from '../packages/devstack/src';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __srsLocalServices?: LocalServices }).__srsLocalServices?.stop();
}
