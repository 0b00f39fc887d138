/*
 * What the webhooks list says of each webhook beyond its own JSON: the latest
 * delivery and the latest failure (two one-row pages of its deliveries), its
 * filter and its signing secrets in words, and its line of the CSV.
 */
import { apiJson } from './api';
import { plural, when } from './format';
import type { Delivery, DeliveryPage, Webhook } from './subscriptions-types';

/** The latest delivery and the latest failed one, which the subscription's own JSON does not carry. */
export interface Summary {
  last: Delivery | null;
  lastFailure: Delivery | null;
}

export const EVENT_NAMES: Record<string, string> = { 'indicator.changed': 'Indicators', 'campaign.changed': 'Campaigns' };

export function deliveryText(d: Delivery | null, none: string): string {
  if (!d) return none;
  const answer = d.last_status_code !== null ? `HTTP ${d.last_status_code}` : (d.last_error ?? '');
  const state = { delivered: 'Delivered', pending: 'Pending', failed: 'Failed' }[d.status];
  return `${state} ${when(d.delivered_at ?? d.updated_at)}${answer ? ` (${answer})` : ''}`;
}

export function filterText(h: Webhook): string {
  const parts = [
    h.filter.indicator_types ? `types ${h.filter.indicator_types.join(', ')}` : '',
    h.filter.categories ? `categories ${h.filter.categories.join(', ')}` : '',
    h.filter.min_confidence !== undefined ? `confidence ≥ ${Math.round(h.filter.min_confidence * 100)} %` : '',
  ].filter(Boolean);
  return parts.length ? `Only ${parts.join('; ')}` : '';
}

export function secretsText(h: Webhook): string {
  // while a rotation overlaps, the old secret still signs until it expires
  const expiring = h.secrets.filter((s) => s.expires_at).map((s) => when(s.expires_at));
  return `${plural(h.secrets.length, 'secret')} signing${expiring.length ? `; the previous one until ${expiring.join(', ')}` : ''}`;
}

export async function summarise(hook: Webhook, key: string): Promise<Summary> {
  const base = `/v1/webhooks/${hook.id}/deliveries?limit=1`;
  const [last, failed] = await Promise.all([apiJson<DeliveryPage>(base, key), apiJson<DeliveryPage>(`${base}&status=failed`, key)]);
  return { last: last.data[0] ?? null, lastFailure: failed.data[0] ?? null };
}

export const WEBHOOK_CSV_HEADER = [
  'id',
  'url',
  'description',
  'events',
  'filter',
  'status',
  'disabled_reason',
  'secrets',
  'created_at',
  'updated_at',
  'last_delivery_status',
  'last_delivery_at',
  'last_failure_at',
  'last_failure_answer',
];

/** Every column the table shows, and the ids and times behind them; never a secret, which the list does not hold. */
export function webhookCsvLine(h: Webhook, s: Summary | undefined): Array<string | number | null> {
  return [
    h.id,
    h.url,
    h.description,
    h.events.join(' '),
    filterText(h),
    h.status,
    h.disabled_reason ?? null,
    h.secrets.length,
    h.created_at,
    h.updated_at,
    s?.last?.status ?? null,
    s?.last ? (s.last.delivered_at ?? s.last.updated_at) : null,
    s?.lastFailure?.updated_at ?? null,
    s?.lastFailure ? (s.lastFailure.last_status_code ?? s.lastFailure.last_error) : null,
  ];
}
