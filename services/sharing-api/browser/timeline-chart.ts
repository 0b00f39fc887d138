import type { TimelineBucket } from './campaign-types';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Reports per bucket as stacked bars: the operator's own network below, the
 * other operators above. The same figures are in the table beside it, so the
 * chart is hidden from screen readers.
 */
export function timelineChart(buckets: TimelineBucket[]): SVGSVGElement {
  const width = 320;
  const height = 80;
  const max = Math.max(1, ...buckets.map((b) => b.own + b.others));
  const slot = width / Math.max(1, buckets.length);
  const bar = Math.max(1, slot * 0.8);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('timeline');
  const rect = (x: number, y: number, h: number, className: string) => {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', x.toFixed(1));
    r.setAttribute('y', y.toFixed(1));
    r.setAttribute('width', bar.toFixed(1));
    r.setAttribute('height', h.toFixed(1));
    r.classList.add(className);
    svg.append(r);
  };
  buckets.forEach((b, i) => {
    const x = i * slot + (slot - bar) / 2;
    const own = (b.own / max) * height;
    const others = (b.others / max) * height;
    if (own > 0) rect(x, height - own, own, 'timeline__own');
    if (others > 0) rect(x, height - own - others, others, 'timeline__others');
  });
  return svg;
}
