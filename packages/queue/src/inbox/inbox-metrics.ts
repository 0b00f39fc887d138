import { Gauge, type Registry } from 'prom-client';
import type { InboxPartition } from './inbox-partition';

/** The inbox as Prometheus scrapes it: messages waiting and set aside, and sender windows open, over every partition. */
export function observeInbox(registry: Registry, partitions: readonly InboxPartition[]): void {
  // Both gauges are collected in one scrape: they share one reading of every partition.
  let reading: { at: number; depths: Promise<{ waiting: number; timers: number; dead: number }> } | undefined;
  const read = () => {
    if (!reading || Date.now() - reading.at > 1000) {
      const depths = Promise.all(partitions.map((p) => p.depth())).then((all) =>
        all.reduce((sum, d) => ({ waiting: sum.waiting + d.waiting, timers: sum.timers + d.timers, dead: sum.dead + d.dead }), {
          waiting: 0,
          timers: 0,
          dead: 0,
        }),
      );
      reading = { at: Date.now(), depths };
      // A failed reading is not kept for the next scrape.
      depths.catch(() => (reading = undefined));
    }
    return reading.depths;
  };
  new Gauge({
    name: 'srs_inbox_messages',
    help: 'Subscriber messages in the inbox by state: waiting to be decided, or dead (set aside after repeated failures)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const d = await read();
        this.set({ state: 'waiting' }, d.waiting);
        this.set({ state: 'dead' }, d.dead);
      } catch {
        // Redis unreachable: the readiness check says so; the scrape still answers.
      }
    },
  });
  new Gauge({
    name: 'srs_inbox_sender_windows',
    help: 'Reports waiting for their sender, whose windows the inbox sweeps when they close',
    registers: [registry],
    async collect() {
      this.reset();
      try {
        this.set((await read()).timers);
      } catch {
        // as above
      }
    },
  });
}
