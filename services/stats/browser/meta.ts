import type { DisclosureRules, MetaAnswer, MetaEntry } from './api-types';
import { colourFor } from './chart-datasets';
import { filterControls } from './filters';
import { countryName, humanise } from './format';

let rules: DisclosureRules = { min_cell: null, dominance_percent: null };

/** The disclosure rules /meta gave, for answers that do not state their own. */
export function metaRules(): DisclosureRules {
  return rules;
}

interface Choice {
  value: string;
  label: string;
}

/** Meta lists may hold strings or objects; either way, { value, label }. */
function choices(list: readonly MetaEntry[] | undefined, labelOf: (value: string) => string): Choice[] {
  return (Array.isArray(list) ? list : []).map((item: MetaEntry) => {
    if (item === null || typeof item !== 'object') return { value: String(item), label: labelOf(String(item)) };
    const value = String(item.key ?? item.id ?? item.code ?? item.value ?? item.name);
    return { value, label: item.label ?? item.name ?? labelOf(value) };
  });
}

/** Replaces a select's options after its "all" option, keeping the choice when it is still offered. */
function fillSelect(select: HTMLSelectElement, items: readonly Choice[], allLabel: string): void {
  const current = select.value;
  select.replaceChildren(new Option(allLabel, ''));
  for (const item of items) select.append(new Option(item.label, item.value));
  select.value = items.some((i) => i.value === current) ? current : '';
}

/** The filters offer what /meta lists; each category takes its colour now, so colours follow the list's order. */
export function applyMeta(meta: MetaAnswer): void {
  if (meta && meta.rules) rules = meta.rules;
  const form = filterControls();
  const categories = choices(meta.categories, humanise);
  categories.forEach((c) => colourFor(c.value));
  fillSelect(form.category, categories, 'All categories');
  fillSelect(form.country, choices(meta.countries, countryName), 'All countries');
  if (Array.isArray(meta.grains) && meta.grains.length) {
    const grains = meta.grains;
    for (const option of Array.from(form.grain.options)) option.disabled = !grains.includes(option.value);
  }
}
