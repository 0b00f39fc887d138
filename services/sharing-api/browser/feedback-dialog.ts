import { ApiError, el, get } from '@srs/browser-kit';
import { apiSend } from './api';
import { plural } from './format';
import type { PortalContext } from './view';

/** What feedback is given on: one indicator, or every shared indicator of a campaign. */
export interface FeedbackTarget {
  /** what the dialog says it is about, e.g. "domain parcel.top" or "campaign smishing" */
  label: string;
  /** the feed ids of the indicators the sightings are recorded on */
  indicatorIds: string[];
}

export type FeedbackKind = 'blocked' | 'false_positive';

const KIND_TEXT: Record<FeedbackKind, string> = { blocked: 'We blocked it', false_positive: 'False positive' };

/**
 * The buttons an indicator or a campaign offers a key with scope feedback:
 * each opens the dialog with its kind chosen. A key without it gets none.
 */
export function feedbackButtons(ctx: PortalContext, target: FeedbackTarget, done: () => void): HTMLElement | null {
  if (!ctx.can('feedback')) return null;
  const group = el('div', '', 'feedback-buttons');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', `Feedback on ${target.label}`);
  for (const kind of ['blocked', 'false_positive'] as const) {
    const button = el('button', kind === 'blocked' ? 'Blocked' : 'False positive', 'button button--quiet button--small');
    button.type = 'button';
    button.dataset.feedback = kind;
    button.disabled = target.indicatorIds.length === 0;
    if (button.disabled) button.title = 'Nothing shared to give feedback on';
    button.addEventListener('click', () => openFeedbackDialog(ctx, target, kind, button, done));
    group.append(button);
  }
  return group;
}

/**
 * A modal dialog (keyboard: Escape closes it, focus returns to the button)
 * that records the feedback as sightings through POST /v1/sightings, one per
 * indicator, each with the operator's own id so that it can be revoked.
 */
export function openFeedbackDialog(
  ctx: PortalContext,
  target: FeedbackTarget,
  kind: FeedbackKind,
  opener: HTMLElement,
  done: () => void,
): void {
  const dialog = get<HTMLDialogElement>('#feedback-dialog');
  const form = el('form', '', 'feedback-form');
  form.method = 'dialog';
  const title = el('h2', `Feedback on ${target.label}`);
  title.id = 'feedback-dialog-title';
  const fieldset = el('fieldset');
  fieldset.append(el('legend', 'What did you see?'));
  for (const k of ['blocked', 'false_positive'] as const) {
    const label = el('label', '', 'choice');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'kind';
    radio.value = k;
    radio.checked = k === kind;
    label.append(radio, ` ${KIND_TEXT[k]}`);
    fieldset.append(label);
  }
  const noteLabel = el('label', 'Note (optional, kept with your feedback; other operators do not see it)');
  noteLabel.htmlFor = 'feedback-note';
  const note = el('textarea');
  note.id = 'feedback-note';
  note.name = 'note';
  note.maxLength = 500;
  note.rows = 3;
  const scope = el('p', `Recorded on each of its ${plural(target.indicatorIds.length, 'shared indicator')}.`, 'muted');
  scope.hidden = target.indicatorIds.length < 2;
  const error = el('p', '', 'notice notice--error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const submit = el('button', 'Send feedback', 'button');
  submit.type = 'submit';
  const cancel = el('button', 'Cancel', 'button button--quiet');
  cancel.type = 'button';
  const actions = el('div', '', 'card__actions');
  actions.append(submit, cancel);
  form.append(title, fieldset, noteLabel, note, scope, error, actions);
  dialog.replaceChildren(form);

  // One id per dialog: sending again after an error the server did not report records nothing twice.
  const batch = randomId();
  const close = () => {
    dialog.close();
    opener.focus();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => opener.focus(), { once: true });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = (new FormData(form).get('kind') as FeedbackKind | null) ?? kind;
    submit.disabled = true;
    submit.textContent = 'Sending…';
    error.hidden = true;
    void send(ctx, target, batch, chosen, note.value.trim())
      .then(() => {
        close();
        done();
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.isAuth) {
          dialog.close();
          return ctx.authFailed(err);
        }
        error.textContent = `The feedback was not recorded: ${(err as Error).message}`;
        error.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = 'Send feedback';
      });
  });
  dialog.showModal();
  fieldset.querySelector<HTMLInputElement>('input:checked')?.focus();
}

/** 128 random bits as hex; crypto.randomUUID exists only on HTTPS pages, getRandomValues everywhere. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One sighting per indicator, each with its own id under the dialog's. */
async function send(ctx: PortalContext, target: FeedbackTarget, batch: string, kind: FeedbackKind, note: string): Promise<void> {
  for (const [i, indicatorId] of target.indicatorIds.entries()) {
    await apiSend('POST', '/v1/sightings', ctx.key, {
      id: `portal-${batch}-${i}`,
      indicator_id: indicatorId,
      kind,
      ...(note ? { note } : {}),
    });
  }
}
