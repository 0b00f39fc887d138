import { delayBin, histogramQuantile } from './delay-histogram';

describe('delay histogram', () => {
  it('reads the median and the 90th percentile within 5% of the exact values', () => {
    const delays = Array.from({ length: 1000 }, (_, i) => 30 + i * 7);
    const bins = new Map<number, number>();
    for (const d of delays) bins.set(delayBin(d), (bins.get(delayBin(d)) ?? 0) + 1);
    const exactMedian = delays[499]!;
    const exactP90 = delays[899]!;
    expect(Math.abs(histogramQuantile(bins, 0.5)! - exactMedian) / exactMedian).toBeLessThan(0.05);
    expect(Math.abs(histogramQuantile(bins, 0.9)! - exactP90) / exactP90).toBeLessThan(0.05);
  });

  it('has no quantile when empty', () => {
    expect(histogramQuantile(new Map(), 0.5)).toBeUndefined();
  });
});
