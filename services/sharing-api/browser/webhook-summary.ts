/*
 * What the webhooks list says of each webhook in words: its latest delivery
 * and latest failure, its filter and its signing secrets, and its line of
 * the CSV.
 */
import { plural, when } from './format';
import type { DeliveryOutcome, Webhook } from './subscriptions-types';

export const EVENT_NAMES: Record<string, string> = { 'indicator.changed': 'Indicators', 'campaign.changed': 'Campaigns' };

export function deliveryText(d: DeliveryOutcome | null, none: string): string {
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
export function webhookCsvLine(h: Webhook): Array<string | number | null> {
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
    h.last_delivery?.status ?? null,
    h.last_delivery ? (h.last_delivery.delivered_at ?? h.last_delivery.updated_at) : null,
    h.last_failure?.updated_at ?? null,
    h.last_failure ? (h.last_failure.last_status_code ?? h.last_failure.last_error) : null,
  ];
}
