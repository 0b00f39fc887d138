import { el } from '@srs/browser-kit';
/*
 * The fields of the view's two forms (new webhook, new key): labelled
 * inputs with their hints, checkbox groups with a legend, and an error line
 * beside the fields that marks the one the API refused.
 */

/** A labelled form field with an optional hint the field is described by. */
export function field(input: HTMLInputElement, label: string, hint = ''): HTMLElement {
  const wrap = el('div', '', 'subs-field');
  const l = el('label', label);
  l.htmlFor = input.id;
  wrap.append(l, input);
  if (hint) {
    const h = el('p', hint, 'muted subs-hint');
    h.id = `${input.id}-hint`;
    input.setAttribute('aria-describedby', h.id);
    wrap.append(h);
  }
  return wrap;
}

export function input(id: string, type: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = el('input');
  i.id = id;
  i.name = id;
  i.type = type;
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  return i;
}

/** A fieldset of checkboxes with its legend; `checked()` reads the ticked values. */
export function checkboxes(
  idPrefix: string,
  legend: string,
  options: Array<{ value: string; label: string; checked?: boolean }>,
): { fieldset: HTMLFieldSetElement; checked(): string[]; boxes: HTMLInputElement[] } {
  const fieldset = el('fieldset', '', 'subs-choices');
  fieldset.append(el('legend', legend));
  const boxes = options.map((o) => {
    const box = input(`${idPrefix}-${o.value.replace(/\W/g, '-')}`, 'checkbox');
    box.value = o.value;
    // the default, so that a form reset after creating puts it back
    box.defaultChecked = o.checked ?? false;
    const label = el('label', '', 'subs-choice');
    label.append(box, ` ${o.label}`);
    fieldset.append(label);
    return box;
  });
  return { fieldset, boxes, checked: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

/**
 * A form's own error line (role=alert), beside the fields rather than at the
 * top of the panel, which a phone would have scrolled away. The API names the
 * field it refused at the start of its message ("url: …"); the input marked
 * with that `data-field` is marked invalid and focused.
 */
export function formAlert(form: HTMLFormElement, id: string) {
  const line = el('p', '', 'notice notice--error');
  line.id = id;
  line.setAttribute('role', 'alert');
  line.hidden = true;
  return {
    line,
    clear() {
      line.hidden = true;
      line.textContent = '';
      for (const f of form.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
    },
    show(message: string, doing = '', invalid?: HTMLInputElement | null) {
      line.textContent = doing ? `${doing}: ${message}` : message;
      line.hidden = false;
      const named = /^(\w+):/.exec(message)?.[1];
      const target = invalid ?? (named ? form.querySelector<HTMLInputElement>(`[data-field="${named}"]`) : null);
      if (target) {
        target.setAttribute('aria-invalid', 'true');
        target.focus();
      }
    },
  };
}
