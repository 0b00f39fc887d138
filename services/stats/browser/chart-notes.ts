import type { DisclosureRules } from './api-types';
import { NUMBER } from './format';

/** A chart's text alternative: what it shows, in one sentence or two. */
export function describe(canvas: Element, text: string): void {
  canvas.setAttribute('aria-label', text);
}

/** The legend note on suppression; the operator-dominance rule applies to reports only. */
export function suppressionNote(rules: DisclosureRules | null | undefined, unit: string, suppressedCells: number): string {
  const parts: string[] = [];
  if (rules && rules.min_cell !== null && rules.min_cell !== undefined) {
    let rule = `Cells under ${rules.min_cell} ${unit}`;
    if (unit === 'reports' && rules.dominance_percent && rules.dominance_percent < 100)
      rule += `, or with more than ${rules.dominance_percent} % from one operator,`;
    parts.push(`${rule} are suppressed and shown as gaps (grey: a whole period).`);
  }
  if (suppressedCells)
    parts.push(
      `${NUMBER.format(suppressedCells)} suppressed ${suppressedCells === 1 ? 'cell' : 'cells'} here, so totals are lower bounds.`,
    );
  return parts.join(' ');
}
