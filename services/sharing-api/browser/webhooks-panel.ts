/*
 * The operator's webhooks: the list with what was last delivered and what
 * last failed, and, for an admin key, pause/resume, secret rotation, delete
 * and the create form. A key without admin sees the same list, and its
 * deliveries, without any control that changes them.
 */
import { el } from '@srs/browser-kit';
import { apiJson, apiSend } from './api';
import type { NewWebhook, RotatedSecret, Webhook } from './subscriptions-types';
import { cell, plural, when } from './format';
import { button, confirmStep, csvButton, panel, rowHead, showFailure, showOnce, table } from './subscriptions-ui';
import { webhookForm } from './webhook-form';
import { EVENT_NAMES, WEBHOOK_CSV_HEADER, deliveryText, filterText, secretsText, webhookCsvLine } from './webhook-summary';
import { showDeliveries } from './webhook-deliveries';
import type { PortalContext } from './view';

function withSecondLine(first: string, second: string): DocumentFragment {
  const both = document.createDocumentFragment();
  both.append(first, el('span', second, 'muted subs-second'));
  return both;
}

export function webhooksPanel(ctx: PortalContext, alive: () => boolean): { section: HTMLElement; load(): Promise<void> } {
  const p = panel('subs-webhooks', 'Webhooks', alive);
  const admin = ctx.can('admin');
  let hooks: Webhook[] = [];

  const intro = el(
    'p',
    'Each change in the feeds you subscribe to is POSTed to your receiver, signed with the secret you were given.',
    'muted',
  );
  p.section.firstElementChild!.after(intro);
  if (!admin) {
    const note = el(
      'p',
      'You can see the webhooks but not change them: creating, pausing, rotating and deleting need a key with the admin scope.',
      'notice subs-readonly',
    );
    note.id = 'subs-webhooks-readonly';
    intro.after(note);
  }
  p.actions.append(csvButton('subs-webhooks-csv', 'webhooks', 'webhooks', WEBHOOK_CSV_HEADER, () => hooks.map(webhookCsvLine)));
  const deliveries = el('div', '', 'subs-deliveries-area');
  p.list.after(deliveries);

  const focusRow = (id: string, action: string) =>
    p.list.querySelector<HTMLButtonElement>(`tr[data-id="${id}"] [data-action="${action}"]`)?.focus();

  async function load(outcome = '', focus?: () => void): Promise<void> {
    p.loading('Loading your webhooks and their latest deliveries…');
    try {
      const list = await apiJson<{ data: Webhook[] }>('/v1/webhooks', ctx.key);
      if (!p.alive()) return;
      hooks = list.data;
      draw();
      const count = hooks.length ? `${plural(hooks.length, 'webhook')}.` : '';
      p.say([outcome, count].filter(Boolean).join(' '));
      focus?.();
    } catch (err) {
      showFailure(ctx, p, 'The webhooks could not be loaded', err);
    }
  }

  function draw(): void {
    (p.actions.querySelector('#subs-webhooks-csv') as HTMLButtonElement).disabled = hooks.length === 0;
    if (hooks.length === 0) {
      const empty = el('p', admin ? 'You have no webhooks. Create one below.' : 'Your operator has no webhooks.', 'state');
      empty.id = 'subs-webhooks-empty';
      p.list.replaceChildren(empty);
      return;
    }
    const columns = ['Receiver', 'Events', 'Status', 'Signing', 'Last delivery', 'Last failure', 'Actions'];
    p.list.replaceChildren(table('subs-webhooks-title', 'Your webhooks', columns, hooks.map(row), 'subs-webhook-rows'));
  }

  function row(h: Webhook): HTMLTableRowElement {
    const tr = el('tr');
    tr.dataset.id = h.id;
    tr.dataset.status = h.status;
    const events = h.events.map((e) => EVENT_NAMES[e] ?? e).join(', ');
    const filter = filterText(h);
    tr.append(
      rowHead(h.url, h.description),
      cell('Events', filter ? withSecondLine(events, filter) : events),
      cell('Status', h.status === 'active' ? 'Active' : `Paused${h.disabled_reason ? ` (${h.disabled_reason})` : ''}`),
      cell('Signing', secretsText(h)),
      cell('Last delivery', deliveryText(h.last_delivery, 'Nothing sent yet')),
      cell('Last failure', deliveryText(h.last_failure, 'None')),
      actions(h),
    );
    return tr;
  }

  function actions(h: Webhook): HTMLTableCellElement {
    const td = cell('Actions', '', 'subs-actions');
    const named = `webhook ${h.url}`;
    const show = button('Deliveries', `of ${named}`);
    show.dataset.action = 'deliveries';
    show.addEventListener('click', () => showDeliveries(deliveries, ctx, h, p, () => focusRow(h.id, 'deliveries')));
    if (!admin) {
      td.append(show);
      return td;
    }
    const toggle = button(h.status === 'active' ? 'Pause' : 'Resume', named);
    toggle.dataset.action = 'toggle';
    toggle.addEventListener('click', () => void setStatus(h, toggle));
    const rotate = button('Rotate secret', `of ${named}`);
    rotate.dataset.action = 'rotate';
    rotate.addEventListener('click', () => void rotateSecret(h, rotate));
    const remove = button('Delete', named, 'button button--quiet subs-danger-quiet');
    remove.dataset.action = 'delete';
    remove.addEventListener('click', () =>
      confirmStep(
        td,
        remove,
        `Delete the webhook to ${h.url}? Nothing more is sent to it, and its deliveries go with it.`,
        'Delete webhook',
        () => deleteHook(h),
      ),
    );
    td.append(toggle, rotate, show, remove);
    return td;
  }

  async function setStatus(h: Webhook, trigger: HTMLButtonElement): Promise<void> {
    const pause = h.status === 'active';
    trigger.disabled = true;
    p.loading(pause ? `Pausing the webhook to ${h.url}…` : `Resuming the webhook to ${h.url}…`);
    try {
      await apiSend('PATCH', `/v1/webhooks/${h.id}`, ctx.key, { status: pause ? 'disabled' : 'active' });
    } catch (err) {
      trigger.disabled = false;
      return showFailure(ctx, p, pause ? 'The webhook was not paused' : 'The webhook was not resumed', err);
    }
    const outcome = pause
      ? `The webhook to ${h.url} is paused: nothing is sent to it until it is resumed.`
      : `The webhook to ${h.url} is active again: it resumes where it stopped.`;
    await load(outcome, () => focusRow(h.id, 'toggle'));
  }

  async function rotateSecret(h: Webhook, trigger: HTMLButtonElement): Promise<void> {
    trigger.disabled = true;
    p.loading(`Making a new signing secret for ${h.url}…`);
    let rotated: RotatedSecret;
    try {
      rotated = await apiSend<RotatedSecret>('POST', `/v1/webhooks/${h.id}/secrets`, ctx.key, {});
    } catch (err) {
      trigger.disabled = false;
      return showFailure(ctx, p, 'The secret was not rotated', err);
    }
    // the page left the view meanwhile: the secret is not shown, and rotating again makes another
    if (!p.alive()) return;
    showOnce(
      p.once,
      {
        id: 'subs-webhook-secret',
        title: `New signing secret for ${h.url}`,
        label: 'Signing secret',
        value: rotated.secret,
        warning: 'Store it in your receiver now: it will not be shown again.',
        note: rotated.previous_expire_at
          ? `The previous secret keeps signing beside it until ${when(rotated.previous_expire_at)}, so your receiver can switch over without missing a message.`
          : 'The previous secret no longer signs.',
      },
      () => focusRow(h.id, 'rotate'),
    );
    await load(`The webhook to ${h.url} has a new signing secret.`);
  }

  async function deleteHook(h: Webhook): Promise<void> {
    p.loading(`Deleting the webhook to ${h.url}…`);
    try {
      await apiSend('DELETE', `/v1/webhooks/${h.id}`, ctx.key);
    } catch (err) {
      return showFailure(ctx, p, 'The webhook was not deleted', err);
    }
    // its deliveries went with it
    if (deliveries.dataset.webhook === h.id) {
      delete deliveries.dataset.webhook;
      deliveries.replaceChildren();
    }
    // its row is gone: the outcome line takes the focus
    await load(`The webhook to ${h.url} was deleted.`, p.focusStatus);
  }

  if (admin)
    p.section.append(
      webhookForm(ctx, p, (created: NewWebhook) => {
        showOnce(
          p.once,
          {
            id: 'subs-webhook-secret',
            title: `Signing secret of the new webhook to ${created.url}`,
            label: 'Signing secret',
            value: created.secret,
            warning:
              'Store it in your receiver now: it will not be shown again. It verifies the webhook-signature header of every delivery.',
          },
          () => focusRow(created.id, 'deliveries'),
        );
        void load(`The webhook to ${created.url} was created.`);
      }),
    );

  return { section: p.section, load: () => load() };
}
