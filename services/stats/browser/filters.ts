import { get } from '@srs/browser-kit';
import type { Grain } from './api-types';
import { addDays, dayCount, isoDay } from './dates';

/** The filter form's choices, as the form holds them ('' for "all"). */
export interface Filters {
  from: string;
  to: string;
  grain: Grain;
  category: string;
  country: string;
  by: string;
}

/** The longest period each grain may cover, as the API allows it. */
const MAX_DAYS: Record<Grain, number> = { hour: 31, day: 400, week: Infinity };

export interface FilterControls {
  form: HTMLFormElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  grain: HTMLSelectElement;
  category: HTMLSelectElement;
  country: HTMLSelectElement;
  by: HTMLSelectElement;
}

export function filterControls(): FilterControls {
  const form = get<HTMLFormElement>('#filters');
  const control = <E extends Element>(name: string) => form.elements.namedItem(name) as E;
  return {
    form,
    from: control('from'),
    to: control('to'),
    grain: control('grain'),
    category: control('category'),
    country: control('country'),
    by: control('by'),
  };
}

export function filters(): Filters {
  const form = filterControls();
  return {
    from: form.from.value,
    to: form.to.value,
    // the select offers only the grains
    grain: form.grain.value as Grain,
    category: form.category.value,
    country: form.country.value,
    by: form.by.value,
  };
}

/** What is wrong with the choices, in words, or null. */
export function validate(f: Filters): string | null {
  if (!f.from || !f.to) return 'Choose both dates of the period.';
  if (f.from > f.to) return 'The period starts after it ends: the "From" date must be on or before the "To" date.';
  const days = dayCount(f.from, f.to);
  if (days > MAX_DAYS[f.grain])
    return `The ${f.grain} grain covers at most ${MAX_DAYS[f.grain]} days; this period has ${days}. Choose a shorter period or a coarser grain.`;
  return null;
}

/** The last 30 days, today included. */
export function setDefaultPeriod(): void {
  const form = filterControls();
  const today = isoDay(new Date());
  form.to.value = today;
  form.from.value = addDays(today, -29);
}
