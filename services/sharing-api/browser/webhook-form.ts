import { createForm } from './create-form';
import type { NewWebhook } from './subscriptions-types';
import { checkboxes, field, input } from './form-fields';
import type { Panel } from './subscriptions-ui';
import type { PortalContext } from './view';

/**
 * "New webhook": its receiver's URL, a description and the events it
 * receives. The API checks the URL (a public http(s) address that resolves)
 * and its answer says what is wrong; `created` gets the subscription with
 * its signing secret, which the API gives this once.
 */
export function webhookForm(ctx: PortalContext, p: Panel, created: (hook: NewWebhook) => void): HTMLFormElement {
  const url = input('subs-webhook-url', 'url', { required: '', maxlength: '2000', autocomplete: 'url', spellcheck: 'false' });
  url.dataset.field = 'url';
  const description = input('subs-webhook-description', 'text', { maxlength: '200', autocomplete: 'off' });
  description.dataset.field = 'description';
  const events = checkboxes('subs-webhook-event', 'Events to send', [
    { value: 'indicator.changed', label: 'Indicator changes (indicator.changed)', checked: true },
    { value: 'campaign.changed', label: 'Campaign changes (campaign.changed)', checked: true },
  ]);
  events.boxes[0]!.dataset.field = 'events';
  return createForm<NewWebhook>(ctx, p, {
    id: 'subs-webhook-form',
    title: 'New webhook',
    submit: 'Create webhook',
    failed: 'The webhook was not created',
    path: '/v1/webhooks',
    fields: [
      field(url, 'Receiver URL', 'Where every change is POSTed, signed as Standard Webhooks; a public https address.'),
      field(description, 'Description (optional)', 'What it feeds, for whoever reads this list later.'),
      events.fieldset,
    ],
    read: () => {
      const target = url.value.trim();
      if (!target) return { problem: 'Enter the URL of your receiver.', field: url };
      const chosen = events.checked();
      if (chosen.length === 0) return { problem: 'Choose at least one kind of change to send.', field: events.boxes[0] };
      return {
        body: { url: target, description: description.value.trim(), events: chosen },
        progress: `Creating the webhook to ${target}…`,
      };
    },
    created,
  });
}
