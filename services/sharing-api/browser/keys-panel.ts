/*
 * The operator's API keys, for an admin key: the list (this page's own key
 * marked), revoking with a confirm step, and the create form. GET /v1/keys
 * itself needs admin, so a key without it is told so instead of a list.
 */
import { el } from '@srs/browser-kit';
import { apiJson, apiSend } from './api';
import { keyForm } from './key-form';
import type { ApiKey, NewApiKey } from './subscriptions-types';
import { cell, plural, when } from './format';
import { button, confirmStep, csvButton, panel, rowHead, showFailure, showOnce, table } from './subscriptions-ui';
import type { PortalContext } from './view';

const STATUS_TEXT: Record<ApiKey['status'], string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

export function keysPanel(ctx: PortalContext, alive: () => boolean): { section: HTMLElement; load(): Promise<void> } {
  const p = panel('subs-keys', 'API keys', alive);
  let keys: ApiKey[] = [];

  if (!ctx.can('admin')) {
    const note = el(
      'p',
      `Listing, creating and revoking your operator's keys needs a key with the admin scope; this one has ${ctx.session.key.scopes.join(', ')}.`,
      'notice subs-readonly',
    );
    note.id = 'subs-keys-readonly';
    p.section.dataset.state = 'ready';
    p.list.replaceChildren(note);
    return { section: p.section, load: () => Promise.resolve() };
  }

  p.section.firstElementChild!.after(
    el('p', 'Every key your operator holds, newest first. Only a hash of each is stored: a key is shown once, when it is made.', 'muted'),
  );
  p.actions.append(
    csvButton(
      'subs-keys-csv',
      'keys',
      'api-keys',
      ['id', 'name', 'prefix', 'scopes', 'status', 'this_key', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'],
      () =>
        keys.map((k) => [
          k.id,
          k.name,
          k.prefix,
          k.scopes.join(' '),
          k.status,
          k.current,
          k.created_at,
          k.last_used_at,
          k.expires_at,
          k.revoked_at,
        ]),
    ),
  );

  const focusRow = (id: string) => p.list.querySelector<HTMLElement>(`tr[data-id="${id}"] th`)?.focus();

  async function load(outcome = '', focus?: () => void): Promise<void> {
    p.loading('Loading your operator’s keys…');
    try {
      const answer = await apiJson<{ data: ApiKey[] }>('/v1/keys', ctx.key);
      if (!p.alive()) return;
      keys = answer.data;
      draw();
      const active = keys.filter((k) => k.status === 'active').length;
      p.say([outcome, `${plural(keys.length, 'key')}, ${active} active.`].filter(Boolean).join(' '));
      focus?.();
    } catch (err) {
      showFailure(ctx, p, 'The keys could not be loaded', err);
    }
  }

  function draw(): void {
    // there is always at least this page's own key
    const columns = ['Key', 'Scopes', 'Status', 'Created', 'Last used', 'Expires', 'Revoked', 'Actions'];
    p.list.replaceChildren(table('subs-keys-title', 'Your operator’s API keys, newest first', columns, keys.map(row), 'subs-key-rows'));
  }

  function row(k: ApiKey): HTMLTableRowElement {
    const tr = el('tr');
    tr.dataset.id = k.id;
    tr.dataset.status = k.status;
    const head = rowHead(k.name, k.prefix);
    head.tabIndex = -1;
    if (k.current) {
      tr.classList.add('subs-current');
      head.append(el('span', 'This key (you are signed in with it)', 'subs-badge'));
    }
    tr.append(
      head,
      cell('Scopes', k.scopes.join(', ')),
      cell('Status', STATUS_TEXT[k.status]),
      cell('Created', when(k.created_at)),
      cell('Last used', k.last_used_at ? when(k.last_used_at) : 'Not used yet'),
      cell('Expires', k.expires_at ? when(k.expires_at) : 'Never'),
      cell('Revoked', when(k.revoked_at)),
      actions(k),
    );
    return tr;
  }

  function actions(k: ApiKey): HTMLTableCellElement {
    const td = cell('Actions', '', 'subs-actions');
    // a revoked or expired key has nothing left to do: the cell stays empty (and hidden on a phone)
    if (k.status !== 'active') return td;
    const revoke = button('Revoke', `key ${k.name} (${k.prefix})`, 'button button--quiet subs-danger-quiet');
    revoke.dataset.action = 'revoke';
    if (k.current) {
      // The API refuses it (409): one click must not lock the page out of its own administration.
      revoke.disabled = true;
      const why = el('span', 'You are signed in with this key: revoke it with another admin key.', 'muted subs-why');
      why.id = `subs-key-why-${k.id}`;
      revoke.setAttribute('aria-describedby', why.id);
      td.append(revoke, why);
      return td;
    }
    revoke.addEventListener('click', () =>
      confirmStep(td, revoke, `Revoke ${k.name} (${k.prefix})? Whatever uses it is refused from now on.`, 'Revoke key', () => revokeKey(k)),
    );
    td.append(revoke);
    return td;
  }

  async function revokeKey(k: ApiKey): Promise<void> {
    p.loading(`Revoking ${k.name}…`);
    try {
      await apiSend<ApiKey>('DELETE', `/v1/keys/${k.id}`, ctx.key);
    } catch (err) {
      return showFailure(ctx, p, 'The key was not revoked', err);
    }
    await load(`${k.name} (${k.prefix}) is revoked.`, () => focusRow(k.id));
  }

  p.section.append(
    keyForm(ctx, p, (made: NewApiKey) => {
      showOnce(
        p.once,
        {
          id: 'subs-new-key',
          title: `The new key ${made.name}`,
          label: 'Key',
          value: made.key,
          warning:
            'Copy it now and keep it where your systems read secrets: it will not be shown again. Only its hash is stored, so nobody can show it to you later.',
          note: `Scopes ${made.scopes.join(', ')}; ${made.expires_at ? `expires ${when(made.expires_at)}` : 'works until revoked'}.`,
        },
        () => focusRow(made.id),
      );
      void load(`${made.name} (${made.prefix}) was created.`);
    }),
  );

  return { section: p.section, load: () => load() };
}
