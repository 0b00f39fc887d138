import { createMetricsRegistry } from './metrics';

describe('createMetricsRegistry', () => {
  it('names only counters with _total, as Prometheus naming asks', async () => {
    const metrics = await createMetricsRegistry('test').getMetricsAsJSON();
    const misnamed = metrics.filter((m) => m.name.endsWith('_total') && String(m.type) !== 'counter').map((m) => m.name);
    expect(misnamed).toEqual([]);
  });

  it('keeps the active handles, requests and resources by type, whose sum is the total', async () => {
    const names = (await createMetricsRegistry('test').getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['srs_nodejs_active_handles', 'srs_nodejs_active_requests', 'srs_nodejs_active_resources']),
    );
  });
});
