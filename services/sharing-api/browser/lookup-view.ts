import { el, get, toCsv } from '@srs/browser-kit';
import { campaignLink, cell, percent, verdictText, when } from './format';
import { feedbackButtons } from './feedback-dialog';
import { historyDetails } from './history-view';
import type { LookupCampaign, LookupIndicator, LookupResult } from './lookup-types';
import type { PortalContext } from './view';

function indicatorRow(i: LookupIndicator, ctx: PortalContext, redraw: () => void): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.id = i.id;
  const th = el('th');
  th.scope = 'row';
  th.append(el('span', i.value, 'value'), el('span', i.type, 'muted'));
  tr.append(
    th,
    cell('Source', `${i.source}, TLP:${i.tlp.toUpperCase()}`),
    cell('Category', i.category),
    cell('Confidence', percent(i.confidence), 'num'),
    cell('Status', i.withdrawn ? `Withdrawn (${i.status})` : 'Shared'),
    cell('First seen', when(i.first_seen)),
    cell('Last change', when(i.updated_at)),
    cell('Feedback', `${i.feedback.blocked} blocked, ${i.feedback.false_positive} false positive`),
    cell('History', historyDetails(i.history)),
    cell('Your feedback', (i.shared && feedbackButtons(ctx, { label: `${i.type} ${i.value}`, indicatorIds: [i.id] }, redraw)) || ''),
  );
  return tr;
}

function campaignRow(c: LookupCampaign): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.id = c.id;
  const th = el('th');
  th.scope = 'row';
  th.append(campaignLink(c.id, c.category), el('span', c.sample_text ?? 'Sample text not shared yet (too few reporters)', 'sample'));
  tr.append(
    th,
    cell('Verdict', verdictText(c)),
    cell('Reporters', String(c.reporters), 'num'),
    cell('Operators', String(c.operators), 'num'),
    cell('Your network', c.own_network ? 'Reported' : 'No'),
    cell('First seen', when(c.first_seen)),
    cell('Last seen', when(c.last_seen)),
  );
  return tr;
}

/** Draws what a look-up found; the empty state says what was searched for. */
export function drawLookup(answer: LookupResult, ctx: PortalContext, redraw: () => void): void {
  get('#lookup-indicator-rows').replaceChildren(...answer.indicators.map((i) => indicatorRow(i, ctx, redraw)));
  get('#lookup-campaign-rows').replaceChildren(...answer.campaigns.map(campaignRow));
  const empty = answer.indicators.length === 0;
  get('#lookup-results').hidden = empty;
  get('#lookup-campaigns-wrap').hidden = answer.campaigns.length === 0;
  get('#lookup-no-campaigns').hidden = empty || answer.campaigns.length > 0;
  const searched = answer.matched.map((m) => `${m.type} ${m.value}`).join(', ');
  const nothing = get('#lookup-empty');
  nothing.hidden = !empty;
  nothing.textContent = `Nothing shared with you matches ${searched}.`;
  get<HTMLButtonElement>('#lookup-csv').disabled = empty;
  get('#lookup-count').textContent = empty
    ? `Searched for ${searched}.`
    : `Searched for ${searched}: ${answer.indicators.length} indicator${answer.indicators.length === 1 ? '' : 's'} in ${answer.campaigns.length} campaign${answer.campaigns.length === 1 ? '' : 's'}.`;
}

/** What was found as CSV: one line per indicator, then one per campaign, every column the tables show. */
export function lookupCsv(answer: LookupResult): string {
  return toCsv(
    [
      'kind',
      'id',
      'type',
      'value',
      'source',
      'tlp',
      'category',
      'confidence_or_probability',
      'shared',
      'status',
      'first_seen',
      'last_seen',
      'updated_at',
      'blocked',
      'false_positive',
      'sample_text',
      'reporters',
      'operators',
      'own_network',
      'indicator_ids',
    ],
    [
      ...answer.indicators.map((i) => [
        'indicator',
        i.id,
        i.type,
        i.value,
        i.source,
        i.tlp,
        i.category,
        i.confidence,
        i.shared,
        i.status,
        i.first_seen,
        i.last_seen,
        i.updated_at,
        i.feedback.blocked,
        i.feedback.false_positive,
        null,
        i.reporters ?? null,
        i.operators ?? null,
        null,
        null,
      ]),
      ...answer.campaigns.map((c) => [
        'campaign',
        c.id,
        null,
        null,
        'consortium',
        'green',
        c.category,
        c.probability,
        c.spam,
        null,
        c.first_seen,
        c.last_seen,
        null,
        null,
        null,
        c.sample_text,
        c.reporters,
        c.operators,
        c.own_network,
        c.indicator_ids.join(' '),
      ]),
    ],
  );
}
