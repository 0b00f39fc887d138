import { ApiError, el } from '@srs/browser-kit';
import { apiJson } from './api';
import type { CampaignDetail, CampaignIndicator, RelatedCampaign, TimelineBucket } from './campaign-types';
import { feedbackButtons } from './feedback-dialog';
import { historyDetails } from './history-view';
import { campaignLink, cell, percent, plural, verdictText, when } from './format';
import { headedRow, listSection } from './table';
import { timelineChart } from './timeline-chart';
import type { PortalContext } from './view';

/**
 * The campaign page (#campaign/<STIX id>): what the campaign is and why it was
 * judged so, its reports over time (the operator's own network apart, the
 * others summed), its indicators with feedback buttons, related campaigns,
 * and where TAXII serves it. Drawn from GET /v1/portal/campaigns/:id.
 */
export async function showCampaign(root: HTMLElement, ctx: PortalContext, id: string): Promise<void> {
  const title = el('h2', 'Campaign');
  title.id = 'campaign-title';
  const back = el('a', '← Back to Now', 'button button--quiet');
  back.href = '#now';
  const head = el('div', '', 'card__head');
  const actions = el('div', '', 'card__actions');
  actions.append(back);
  head.append(title, actions);
  const status = el('p', 'Loading the campaign…', 'state');
  status.setAttribute('role', 'status');
  root.replaceChildren(head, status);
  root.dataset.state = 'loading';
  root.setAttribute('aria-busy', 'true');

  let campaign: CampaignDetail;
  try {
    campaign = await apiJson<CampaignDetail>(`/v1/portal/campaigns/${encodeURIComponent(id)}`, ctx.key);
  } catch (err) {
    if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
    const error = el(
      'p',
      err instanceof ApiError && err.status === 404
        ? 'No shared campaign has this id. It may never have been shared with you.'
        : `The campaign could not be loaded: ${(err as Error).message}`,
      'notice notice--error',
    );
    error.setAttribute('role', 'alert');
    status.replaceWith(error);
    root.dataset.state = 'error';
    root.setAttribute('aria-busy', 'false');
    return;
  }
  title.textContent = `Campaign: ${campaign.category}`;
  const redraw = () => void showCampaign(root, ctx, id);
  const shared = campaign.indicators.filter((i) => i.shared).map((i) => i.id);
  const feedback = feedbackButtons(ctx, { label: `campaign ${campaign.category}`, indicatorIds: shared }, redraw);
  status.replaceWith(
    summary(campaign),
    ...(feedback ? [feedback] : []),
    verdictTerms(campaign),
    timeline(campaign, ctx.session.operator.name),
    listSection(indicatorList(ctx, redraw), campaign.indicators),
    listSection(relatedList, campaign.related),
  );
  root.dataset.state = 'ready';
  root.setAttribute('aria-busy', 'false');
}

function summary(c: CampaignDetail): HTMLElement {
  const dl = el('dl', '', 'summary');
  const item = (term: string, value: string | Node) => {
    const dd = el('dd');
    dd.append(value);
    dl.append(el('dt', term), dd);
  };
  item('Verdict', verdictText(c));
  item('Sample text', c.sample_text ?? 'Not shared yet (too few reporters)');
  item('Reports', `${c.reports} from ${plural(c.reporters, 'subscriber')} on ${plural(c.operators, 'operator')}`);
  item('Your network', c.own_network ? 'Reported by your subscribers' : 'Not reported by your subscribers');
  item('First seen', when(c.first_seen));
  item('Last seen', when(c.last_seen));
  item('Language', c.language);
  item('STIX id', el('code', c.id));
  item('TAXII 2.1', el('code', `${location.origin}${c.taxii.object_path}`));
  return dl;
}

/** The terms of the verdict's log-odds, largest first: why the campaign is judged spam or not. */
function verdictTerms(c: CampaignDetail): HTMLElement {
  const terms = Object.entries(c.verdict_terms ?? {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  return listSection(
    {
      id: 'campaign-terms',
      title: 'Why this verdict',
      empty: 'No verdict has been reached yet.',
      columns: ['Evidence', 'Log-odds'],
      row: ([term, value]) => {
        const tr = headedRow([term]);
        tr.append(cell('Log-odds', (value > 0 ? '+' : '') + value.toFixed(2), 'num'));
        return tr;
      },
      csv: { file: 'campaign-verdict', header: ['term', 'log_odds'], line: ([term, value]) => [term, value] },
    },
    terms,
  );
}

function timeline(c: CampaignDetail, ownName: string): HTMLElement {
  const own = `${ownName} (your network)`;
  const t = c.timeline;
  const unit = t.grain === 'hour' ? 'hour' : 'day';
  const section = listSection<TimelineBucket>(
    {
      id: 'campaign-timeline',
      title:
        t.grain === 'day' && Date.parse(t.buckets[0]?.start ?? c.first_seen) > Date.parse(c.first_seen)
          ? `Reports per day, its last ${plural(t.buckets.length, 'day')}`
          : `Reports per ${unit}`,
      empty: 'No report of it in the time shown.',
      columns: [t.grain === 'hour' ? 'Hour (UTC)' : 'Day (UTC)', own, `Other operators (${t.other_operators})`],
      row: (b) => {
        const tr = headedRow([t.grain === 'hour' ? when(b.start) : b.start.slice(0, 10)]);
        tr.append(cell(own, String(b.own), 'num'), cell('Other operators', String(b.others), 'num'));
        return tr;
      },
      csv: { file: 'campaign-reports', header: ['start', 'own_network', 'other_operators'], line: (b) => [b.start, b.own, b.others] },
    },
    t.buckets,
  );
  const legend = el(
    'p',
    `Dark: ${ownName}, your network; light: the ${plural(t.other_operators, 'other operator')}, summed. The table below gives every figure.`,
    'muted',
  );
  section.querySelector('.card__head')!.after(timelineChart(t.buckets), legend);
  return section;
}

function indicatorList(ctx: PortalContext, redraw: () => void) {
  return {
    id: 'campaign-indicators',
    title: 'Indicators',
    empty: 'The feed has shared no indicator of this campaign.',
    columns: ['Indicator', 'Confidence', 'Status', 'Reporters', 'First seen', 'Last change', 'Feedback', 'History', ''],
    row: (i: CampaignIndicator) => {
      const tr = headedRow([el('span', i.value, 'value'), el('span', i.type, 'muted')], i.id);
      const buttons = i.shared ? feedbackButtons(ctx, { label: `${i.type} ${i.value}`, indicatorIds: [i.id] }, redraw) : null;
      tr.append(
        cell('Confidence', percent(i.confidence), 'num'),
        cell('Status', i.withdrawn ? `Withdrawn (${i.status})` : 'Shared'),
        cell('Reporters', `${i.reporters} on ${plural(i.operators, 'operator')}`),
        cell('First seen', when(i.first_seen)),
        cell('Last change', when(i.updated_at)),
        cell('Feedback', `${i.feedback.blocked} blocked, ${i.feedback.false_positive} false positive`),
        cell('History', historyDetails(i.history)),
        cell('Your feedback', buttons ?? ''),
      );
      return tr;
    },
    csv: {
      file: 'campaign-indicators',
      header: [
        'id',
        'stix_id',
        'type',
        'value',
        'confidence',
        'shared',
        'status',
        'reporters',
        'operators',
        'first_seen',
        'updated_at',
        'blocked',
        'false_positive',
      ],
      line: (i: CampaignIndicator) => [
        i.id,
        i.stix_id,
        i.type,
        i.value,
        i.confidence,
        i.shared,
        i.status,
        i.reporters,
        i.operators,
        i.first_seen,
        i.updated_at,
        i.feedback.blocked,
        i.feedback.false_positive,
      ],
    },
  };
}

const relatedList = {
  id: 'campaign-related',
  title: 'Related campaigns (indicators in common)',
  empty: 'No other shared campaign has an indicator in common with this one.',
  columns: ['Campaign', 'Verdict', 'Indicators in common', 'Reporters', 'Operators', 'Last seen'],
  row: (r: RelatedCampaign) => {
    const tr = headedRow([campaignLink(r.id, r.category)], r.id);
    tr.append(
      cell('Verdict', verdictText(r)),
      cell('Indicators in common', String(r.shared_indicators), 'num'),
      cell('Reporters', String(r.reporters), 'num'),
      cell('Operators', String(r.operators), 'num'),
      cell('Last seen', when(r.last_seen)),
    );
    return tr;
  },
  csv: {
    file: 'related-campaigns',
    header: ['id', 'category', 'spam', 'probability', 'shared_indicators', 'reporters', 'operators', 'last_seen'],
    line: (r: RelatedCampaign) => [r.id, r.category, r.spam, r.probability, r.shared_indicators, r.reporters, r.operators, r.last_seen],
  },
};
