/*
 * The pieces the "Webhooks and keys" view is made of: a panel with its own
 * progress and error lines, tables that become labelled blocks on a phone,
 * a one-time secret box and an inline confirm step (form fields are in
 * form-fields.ts). Every handler is attached here, never inline: helmet's
 * CSP forbids inline scripts.
 */
import { ApiError, el, saveCsv, toCsv } from '@srs/browser-kit';
import type { PortalContext } from './view';

/** the hour, for file names: two downloads the same hour replace each other, as elsewhere in the portal */
const stamp = () => new Date().toISOString().slice(0, 13);

/**
 * A button whose visible text is short ("Pause") but whose accessible name
 * also names its row ("Pause webhook https://…"): a screen reader's list of
 * buttons would otherwise hold ten identical "Pause"s.
 */
export function button(text: string, context = '', className = 'button button--quiet'): HTMLButtonElement {
  const b = el('button', text, className);
  b.type = 'button';
  if (context) b.append(el('span', ` ${context}`, 'visually-hidden'));
  return b;
}

export interface Panel {
  section: HTMLElement;
  title: HTMLHeadingElement;
  /** the head's buttons (Download CSV) */
  actions: HTMLElement;
  /** secrets shown once; survives the list being redrawn */
  once: HTMLElement;
  /** the list, its empty state, and whatever else is redrawn with it */
  list: HTMLElement;
  /** false once the view was drawn again or left: late answers then draw nothing */
  alive(): boolean;
  loading(message: string): void;
  /** a progress or outcome line */
  say(message: string): void;
  /** moves the keyboard to the outcome line, after an action removed what had the focus */
  focusStatus(): void;
  failed(message: string): void;
}

/** A titled section with a status line (role=status) and an error line (role=alert), both present from the start so changes are announced. */
export function panel(id: string, title: string, alive: () => boolean): Panel {
  const section = el('section', '', 'subs-panel');
  section.id = id;
  section.setAttribute('aria-labelledby', `${id}-title`);
  const head = el('div', '', 'card__head');
  const heading = el('h3', title);
  heading.id = `${id}-title`;
  heading.tabIndex = -1;
  const actions = el('div', '', 'card__actions');
  head.append(heading, actions);
  const status = el('p', '', 'state');
  status.id = `${id}-status`;
  status.setAttribute('role', 'status');
  status.tabIndex = -1;
  const error = el('p', '', 'notice notice--error');
  error.id = `${id}-error`;
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const once = el('div', '', 'subs-once-area');
  const list = el('div');
  section.append(head, status, error, once, list);
  const state = (s: 'loading' | 'ready' | 'error') => {
    section.dataset.state = s;
    section.setAttribute('aria-busy', s === 'loading' ? 'true' : 'false');
  };
  return {
    section,
    title: heading,
    actions,
    once,
    list,
    alive,
    loading(message) {
      state('loading');
      status.textContent = message;
      error.hidden = true;
    },
    say(message) {
      state('ready');
      status.textContent = message;
      error.hidden = true;
    },
    focusStatus: () => status.focus(),
    failed(message) {
      state('error');
      status.textContent = '';
      error.textContent = message;
      error.hidden = false;
    },
  };
}

/**
 * What a failed call shows: a refused key signs the page out (the portal
 * says why); anything else is the API's own message, after what was tried.
 */
export function showFailure(ctx: PortalContext, where: Panel, doing: string, err: unknown): void {
  if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
  if (where.alive()) where.failed(`${doing}: ${err instanceof Error ? err.message : String(err)}`);
}

/** A scrollable, keyboard-reachable region holding a table whose rows become labelled blocks on a phone. */
export function table(labelledBy: string, caption: string, columns: string[], rows: HTMLTableRowElement[], bodyId: string): HTMLElement {
  const wrap = el('div', '', 'table-wrap');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-labelledby', labelledBy);
  wrap.tabIndex = 0;
  const t = el('table', '', 'now-table subs-table');
  const cap = el('caption', caption, 'visually-hidden');
  const head = el('thead');
  const tr = el('tr');
  for (const column of columns) {
    const th = el('th', column);
    th.scope = 'col';
    tr.append(th);
  }
  head.append(tr);
  const body = el('tbody');
  body.id = bodyId;
  body.append(...rows);
  t.append(cap, head, body);
  wrap.append(t);
  return wrap;
}

/** The first cell of a row: its header, holding the main value and a muted second line. */
export function rowHead(main: string | Node, second = ''): HTMLTableCellElement {
  const th = el('th');
  th.scope = 'row';
  th.append(typeof main === 'string' ? el('span', main, 'subs-value') : main);
  if (second) th.append(el('span', second, 'muted subs-second'));
  return th;
}

/** "Download CSV" of a list, whatever the list holds when it is pressed. */
export function csvButton(
  id: string,
  what: string,
  file: string,
  header: string[],
  rows: () => Array<Array<string | number | boolean | null>>,
) {
  const b = button('Download CSV', `of the ${what}`);
  b.id = id;
  b.addEventListener('click', () => saveCsv(toCsv(header, rows()), `${file}-${stamp()}h.csv`));
  return b;
}

/**
 * A secret shown this once, in a plain read-only field its owner selects and
 * copies (no clipboard button: the page never reads or writes the clipboard),
 * with the warning that it will not be shown again. "I have stored it"
 * removes it from the page.
 */
export function showOnce(
  into: HTMLElement,
  spec: { id: string; title: string; label: string; value: string; warning: string; note?: string },
  afterDone: () => void,
): HTMLInputElement {
  const box = el('div', '', 'subs-once');
  box.id = spec.id;
  box.setAttribute('role', 'group');
  box.setAttribute('aria-labelledby', `${spec.id}-title`);
  const title = el('h4', spec.title);
  title.id = `${spec.id}-title`;
  const label = el('label', spec.label);
  label.htmlFor = `${spec.id}-value`;
  const input = el('input', '', 'subs-secret');
  input.id = `${spec.id}-value`;
  input.type = 'text';
  input.readOnly = true;
  input.value = spec.value;
  input.spellcheck = false;
  input.autocomplete = 'off';
  input.setAttribute('aria-describedby', `${spec.id}-warning`);
  // the whole value selected at once, ready for Ctrl+C
  input.addEventListener('focus', () => input.select());
  const warning = el('p', spec.warning, 'subs-warning');
  warning.id = `${spec.id}-warning`;
  const done = button('I have stored it', '', 'button');
  done.addEventListener('click', () => {
    box.remove();
    afterDone();
  });
  box.append(title, label, input, warning);
  if (spec.note) box.append(el('p', spec.note, 'muted'));
  box.append(done);
  // one secret at a time: a new one replaces any still shown
  into.replaceChildren(box);
  input.focus();
  return input;
}

/**
 * Puts an inline "are you sure" in place of a row's actions: the confirm
 * button takes the focus, Cancel or Escape puts the actions and the focus back.
 */
export function confirmStep(
  actions: HTMLElement,
  trigger: HTMLButtonElement,
  question: string,
  confirmText: string,
  onConfirm: () => Promise<void>,
) {
  const before = [...actions.childNodes];
  const text = el('p', question, 'subs-confirm__question');
  const yes = button(confirmText, '', 'button subs-danger');
  const no = button('Cancel');
  const box = el('div', '', 'subs-confirm');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', question);
  box.append(text, yes, no);
  const cancel = () => {
    actions.replaceChildren(...before);
    trigger.focus();
  };
  no.addEventListener('click', cancel);
  box.addEventListener('keydown', (event) => {
    // once confirmed, the call runs to its end
    if (event.key === 'Escape' && !yes.disabled) cancel();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    no.disabled = true;
    void onConfirm().finally(() => {
      // still on the page: the call failed and the list was not redrawn
      if (box.isConnected) cancel();
    });
  });
  actions.replaceChildren(box);
  yes.focus();
}
