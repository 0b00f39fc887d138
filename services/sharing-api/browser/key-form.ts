import { createForm } from './create-form';
import type { KeyScope, NewApiKey } from './subscriptions-types';
import { checkboxes, field, input } from './form-fields';
import type { Panel } from './subscriptions-ui';
import type { PortalContext } from './view';

/** The most days the API lets a key live (src/keys/key-requests.ts MAX_EXPIRES_IN_DAYS). */
const MAX_DAYS = 730;

const SCOPES: Array<{ value: KeyScope; label: string; checked?: boolean }> = [
  { value: 'read', label: 'read: the feeds, TAXII, webhooks and this portal', checked: true },
  { value: 'publish', label: 'publish: your own indicators' },
  { value: 'feedback', label: 'feedback: blocked and false-positive sightings' },
  { value: 'admin', label: 'admin: webhooks and keys' },
];

/** "New key": a name, its scopes and an optional lifetime; `created` gets the key with its secret, which the API gives this once. */
export function keyForm(ctx: PortalContext, p: Panel, created: (key: NewApiKey) => void): HTMLFormElement {
  const name = input('subs-key-name', 'text', { required: '', maxlength: '100', autocomplete: 'off' });
  name.dataset.field = 'name';
  const scopes = checkboxes('subs-key-scope', 'Scopes', SCOPES);
  scopes.boxes[0]!.dataset.field = 'scopes';
  const days = input('subs-key-days', 'number', { min: '1', max: String(MAX_DAYS), step: '1', inputmode: 'numeric' });
  days.dataset.field = 'expires_in_days';
  return createForm<NewApiKey>(ctx, p, {
    id: 'subs-key-form',
    title: 'New key',
    submit: 'Create key',
    failed: 'The key was not created',
    path: '/v1/keys',
    fields: [
      field(name, 'Name', 'What it is for, shown in the list: "SMS firewall feed".'),
      scopes.fieldset,
      field(days, 'Expires after (days, optional)', `1 to ${MAX_DAYS}; leave empty for a key that works until it is revoked.`),
    ],
    read: () => {
      const label = name.value.trim();
      if (!label) return { problem: 'Give the key a name.', field: name };
      const chosen = scopes.checked();
      if (chosen.length === 0) return { problem: 'Choose at least one scope.', field: scopes.boxes[0] };
      const lifetime = days.value.trim();
      const n = Number(lifetime);
      // a number input holds '' for text it cannot read, which would otherwise make a key that never expires
      if (days.validity.badInput || (lifetime && (!Number.isInteger(n) || n < 1 || n > MAX_DAYS)))
        return { problem: `Enter a whole number of days from 1 to ${MAX_DAYS}, or leave it empty.`, field: days };
      return { body: { name: label, scopes: chosen, ...(lifetime ? { expires_in_days: n } : {}) }, progress: `Creating the key ${label}…` };
    },
    created,
  });
}
