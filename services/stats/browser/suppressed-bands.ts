import type { Plugin } from 'chart.js';

/** Grey bands behind buckets whose total is suppressed, so a gap reads as "suppressed", not "zero". */
export const suppressedBands: Plugin<'bar' | 'line', { indices?: number[] }> = {
  id: 'suppressedBands',
  beforeDatasetsDraw(chart, _args, opts) {
    const indices = opts && opts.indices;
    if (!indices || !indices.length) return;
    const x = chart.scales.x;
    const { top, bottom } = chart.chartArea;
    const count = (chart.data.labels ?? []).length;
    if (!x || !count) return;
    const step = x.width / count;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(100, 116, 139, 0.16)';
    for (const i of indices) {
      const centre = x.getPixelForValue(i);
      ctx.fillRect(centre - step / 2, top, step, bottom - top);
    }
    ctx.restore();
  },
};
