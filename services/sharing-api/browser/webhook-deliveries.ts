/*
 * One webhook's deliveries, newest first, 25 at a time: all of them or only
 * the failed (or pending, or delivered) ones, with a replay for failed ones
 * when the key has admin. The API pages with a cursor; "Load older" follows it.
 */
import { el } from '@srs/browser-kit';
import { apiJson, apiSend } from './api';
import type { Delivery, DeliveryPage, DeliveryStatus, Webhook } from './subscriptions-types';
import { cell, plural, when } from './format';
import { button, csvButton, panel, showFailure, table, type Panel } from './subscriptions-ui';
import type { PortalContext } from './view';

const PAGE = 25;
const STATUS_TEXT: Record<DeliveryStatus, string> = { delivered: 'Delivered', pending: 'Pending', failed: 'Failed' };

/** What the change delivered was, from the message's `data` (the change as the feed serves it). */
function changeText(payload: unknown): string {
  const data = (payload as { data?: Record<string, unknown> } | null)?.data;
  if (!data) return '–';
  if (typeof data.value === 'string') return `${String(data.type ?? 'indicator')} ${data.value}`;
  if (typeof data.category === 'string') return `campaign ${String(data.id ?? '')} (${data.category})`;
  return '–';
}

const answerText = (d: Delivery) => (d.last_status_code !== null ? `HTTP ${d.last_status_code}` : (d.last_error ?? '–'));

/** Shows the deliveries of `hook` in `into`, replacing any shown for another webhook; Close hands the focus to `closed`. */
export function showDeliveries(into: HTMLElement, ctx: PortalContext, hook: Webhook, owner: Panel, closed: () => void): void {
  into.dataset.webhook = hook.id;
  const p = panel('subs-deliveries', `Deliveries to ${hook.url}`, () => owner.alive() && into.dataset.webhook === hook.id);
  const admin = ctx.can('admin');
  let items: Delivery[] = [];
  let next: string | null = null;
  let only: '' | DeliveryStatus = '';

  const close = button('Close', 'the deliveries');
  close.addEventListener('click', () => {
    delete into.dataset.webhook;
    into.replaceChildren();
    closed();
  });
  p.actions.append(
    csvButton(
      'subs-deliveries-csv',
      'deliveries',
      `webhook-deliveries-${hook.id}`,
      [
        'id',
        'event_type',
        'change',
        'status',
        'attempt_count',
        'replays',
        'last_status_code',
        'last_error',
        'created_at',
        'updated_at',
        'delivered_at',
      ],
      () =>
        items.map((d) => [
          d.id,
          d.event_type,
          changeText(d.payload),
          d.status,
          d.attempt_count,
          d.replays,
          d.last_status_code,
          d.last_error,
          d.created_at,
          d.updated_at,
          d.delivered_at,
        ]),
    ),
    close,
  );

  const filter = el('form', '', 'subs-filter');
  filter.id = 'subs-deliveries-filter';
  const label = el('label', 'Which deliveries');
  label.htmlFor = 'subs-deliveries-which';
  const select = el('select');
  select.id = 'subs-deliveries-which';
  for (const [value, text] of [
    ['', 'All recent deliveries'],
    ['failed', 'Failed only'],
    ['pending', 'Pending only'],
    ['delivered', 'Delivered only'],
  ] as const) {
    const option = el('option', text);
    option.value = value;
    select.append(option);
  }
  const apply = el('button', 'Show', 'button button--quiet');
  apply.type = 'submit';
  filter.append(label, select, apply);
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    only = select.value as typeof only;
    void load(true);
  });
  p.list.before(filter);

  const older = button('Load older deliveries');
  older.id = 'subs-deliveries-older';
  older.hidden = true;
  older.addEventListener('click', () => void load(false));
  p.list.after(older);

  async function load(fresh: boolean): Promise<void> {
    const kind = only ? `${only} ` : '';
    p.loading(fresh ? `Loading the recent ${kind}deliveries…` : `Loading older ${kind}deliveries…`);
    const query = new URLSearchParams({
      limit: String(PAGE),
      ...(only ? { status: only } : {}),
      ...(!fresh && next ? { cursor: next } : {}),
    });
    try {
      const page = await apiJson<DeliveryPage>(`/v1/webhooks/${hook.id}/deliveries?${query}`, ctx.key);
      if (!p.alive()) return;
      const before = fresh ? 0 : items.length;
      items = fresh ? page.data : [...items, ...page.data];
      next = page.next;
      draw();
      p.say(`${plural(items.length, `${kind}delivery`, `${kind}deliveries`)} shown${next ? '; older ones can be loaded' : ''}.`);
      // after "Load older", the keyboard continues at the first row it added
      if (!fresh) p.list.querySelector<HTMLElement>(`tbody tr:nth-child(${before + 1}) th`)?.focus();
    } catch (err) {
      showFailure(ctx, p, 'The deliveries could not be loaded', err);
    }
  }

  function draw(): void {
    older.hidden = next === null;
    (p.actions.querySelector('#subs-deliveries-csv') as HTMLButtonElement).disabled = items.length === 0;
    if (items.length === 0) {
      const text = only
        ? `No ${only} deliveries to this webhook.`
        : 'Nothing has been sent to this webhook yet: a delivery is made for each change it matches.';
      const empty = el('p', text, 'state');
      empty.id = 'subs-deliveries-empty';
      p.list.replaceChildren(empty);
      return;
    }
    const columns = ['Delivery', 'Change', 'Status', 'Attempts', 'Last answer', 'Recorded', 'Delivered', ...(admin ? ['Actions'] : [])];
    p.list.replaceChildren(
      table('subs-deliveries-title', `Deliveries to ${hook.url}, newest first`, columns, items.map(row), 'subs-delivery-rows'),
    );
  }

  function row(d: Delivery): HTMLTableRowElement {
    const tr = el('tr');
    tr.dataset.id = d.id;
    tr.dataset.status = d.status;
    const th = el('th');
    th.scope = 'row';
    th.tabIndex = -1;
    th.append(el('span', d.event_type, 'subs-value'), el('code', d.id, 'muted subs-second subs-id'));
    tr.append(
      th,
      cell('Change', changeText(d.payload)),
      cell('Status', `${STATUS_TEXT[d.status]}${d.replays ? `, replayed ${plural(d.replays, 'time')}` : ''}`),
      cell('Attempts', String(d.attempt_count)),
      cell('Last answer', answerText(d)),
      cell('Recorded', when(d.created_at)),
      cell('Delivered', d.delivered_at ? when(d.delivered_at) : 'Not yet'),
    );
    if (admin) {
      const td = cell('Actions', '', 'subs-actions');
      // only a failed delivery is replayed; the cell of any other stays empty (and hidden on a phone)
      if (d.status === 'failed') {
        const replay = button('Replay', `delivery ${d.id}`);
        replay.dataset.action = 'replay';
        replay.addEventListener('click', () => void replayOne(d, replay));
        td.append(replay);
      }
      tr.append(td);
    }
    return tr;
  }

  async function replayOne(d: Delivery, trigger: HTMLButtonElement): Promise<void> {
    trigger.disabled = true;
    p.loading(`Queueing delivery ${d.id} again…`);
    try {
      const again = await apiSend<Delivery>('POST', `/v1/webhooks/${hook.id}/deliveries/${d.id}/replay`, ctx.key);
      if (!p.alive()) return;
      items = items.map((x) => (x.id === d.id ? again : x));
      draw();
      p.say(`Delivery ${d.id} is queued again; it keeps its id, so your receiver can tell it was sent before.`);
      p.focusStatus();
    } catch (err) {
      trigger.disabled = false;
      showFailure(ctx, p, 'The delivery was not replayed', err);
    }
  }

  into.replaceChildren(p.section);
  p.title.focus();
  void load(true);
}
