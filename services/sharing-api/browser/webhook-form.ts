import { ApiError, el } from '@srs/browser-kit';
import { apiSend } from './api';
import type { NewWebhook } from './subscriptions-types';
import { checkboxes, field, formAlert, input } from './form-fields';
import type { Panel } from './subscriptions-ui';
import type { PortalContext } from './view';

/**
 * "New webhook": its receiver's URL, a description and the events it
 * receives. The API checks the URL (a public http(s) address that resolves)
 * and its answer says what is wrong; `created` gets the subscription with
 * its signing secret, which the API gives this once.
 */
export function webhookForm(ctx: PortalContext, p: Panel, created: (hook: NewWebhook) => void): HTMLFormElement {
  const form = el('form', '', 'subs-form');
  form.id = 'subs-webhook-form';
  form.noValidate = true;
  form.setAttribute('aria-labelledby', 'subs-webhook-form-title');
  const title = el('h4', 'New webhook');
  title.id = 'subs-webhook-form-title';
  const url = input('subs-webhook-url', 'url', { required: '', maxlength: '2000', autocomplete: 'url', spellcheck: 'false' });
  url.dataset.field = 'url';
  const description = input('subs-webhook-description', 'text', { maxlength: '200', autocomplete: 'off' });
  description.dataset.field = 'description';
  const events = checkboxes('subs-webhook-event', 'Events to send', [
    { value: 'indicator.changed', label: 'Indicator changes (indicator.changed)', checked: true },
    { value: 'campaign.changed', label: 'Campaign changes (campaign.changed)', checked: true },
  ]);
  events.boxes[0]!.dataset.field = 'events';
  const alert = formAlert(form, 'subs-webhook-form-error');
  const submit = el('button', 'Create webhook', 'button');
  submit.type = 'submit';
  form.append(
    title,
    field(url, 'Receiver URL', 'Where every change is POSTed, signed as Standard Webhooks; a public https address.'),
    field(description, 'Description (optional)', 'What it feeds, for whoever reads this list later.'),
    events.fieldset,
    alert.line,
    submit,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    alert.clear();
    const target = url.value.trim();
    if (!target) return alert.show('Enter the URL of your receiver.', '', url);
    const chosen = events.checked();
    if (chosen.length === 0) return alert.show('Choose at least one kind of change to send.', '', events.boxes[0]);
    submit.disabled = true;
    submit.textContent = 'Creating…';
    p.loading(`Creating the webhook to ${target}…`);
    try {
      const hook = await apiSend<NewWebhook>('POST', '/v1/webhooks', ctx.key, {
        url: target,
        description: description.value.trim(),
        events: chosen,
      });
      form.reset();
      created(hook);
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
      p.say('');
      alert.show(err instanceof Error ? err.message : String(err), 'The webhook was not created');
    } finally {
      submit.disabled = false;
      submit.textContent = 'Create webhook';
    }
  }
  return form;
}
