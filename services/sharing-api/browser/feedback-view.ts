import { ApiError, el } from '@srs/browser-kit';
import { apiJson, apiSend } from './api';
import { cell, when } from './format';
import { headedRow, listSection } from './table';
import type { Sighting, SightingPage } from './feedback-types';
import type { PortalContext } from './view';

const PAGE = 100;
const KIND_TEXT = { blocked: 'Blocked', false_positive: 'False positive' } as const;

/**
 * "Our feedback" (#feedback): the sightings this operator recorded, newest
 * first, pages loaded on demand; a key with scope feedback may revoke each.
 */
export async function showFeedback(root: HTMLElement, ctx: PortalContext): Promise<void> {
  const title = el('h2', 'Our feedback');
  title.id = 'feedback-title';
  const intro = el(
    'p',
    'What your operator told the consortium it blocked or found to be a false positive. Revoking feedback takes it back: the indicator is judged again without it.',
    'muted',
  );
  const status = el('p', 'Loading your feedback…', 'state');
  status.setAttribute('role', 'status');
  root.replaceChildren(title, intro, status);
  root.dataset.state = 'loading';
  root.setAttribute('aria-busy', 'true');

  const items: Sighting[] = [];
  let next: string | null = null;
  const more = el('button', 'Load older feedback', 'button button--quiet');
  more.type = 'button';
  more.id = 'feedback-more';

  const fail = (err: unknown, what: string) => {
    if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
    const error = el('p', `${what}: ${(err as Error).message}`, 'notice notice--error');
    error.setAttribute('role', 'alert');
    root.querySelector('.notice--error')?.remove();
    root.append(error);
    root.dataset.state = 'error';
    root.setAttribute('aria-busy', 'false');
  };

  const draw = () => {
    const list = listSection(
      {
        id: 'feedback-list',
        title: `${items.length} ${items.length === 1 ? 'sighting' : 'sightings'}${next ? ' so far' : ''}`,
        empty: ctx.can('feedback')
          ? 'Your operator has given no feedback yet. Use “Blocked” or “False positive” on an indicator or a campaign.'
          : 'Your operator has given no feedback yet.',
        columns: ['Indicator', 'Feedback', 'Note', 'Given', 'Indicator now', ''],
        row: (s: Sighting) => row(s),
        csv: {
          file: 'our-feedback',
          header: [
            'id',
            'indicator_id',
            'type',
            'value',
            'kind',
            'count',
            'note',
            'observed_at',
            'created_at',
            'revoked_at',
            'indicator_status',
          ],
          line: (s: Sighting) => [
            s.id,
            s.indicator_id,
            s.type,
            s.value,
            s.kind,
            s.count,
            s.note,
            s.observed_at,
            s.created_at,
            s.revoked_at,
            s.status,
          ],
        },
      },
      items,
    );
    root.querySelector('#feedback-list')?.remove();
    root.querySelector('.state')?.remove();
    more.hidden = !next;
    root.append(list, more);
  };

  const row = (s: Sighting) => {
    const tr = headedRow([el('span', s.value, 'value'), el('span', s.type, 'muted')], s.id);
    const action = el('div');
    if (s.revoked_at) action.append(el('span', `Revoked ${when(s.revoked_at)}`, 'muted'));
    else if (ctx.can('feedback')) {
      const revoke = el('button', 'Revoke', 'button button--quiet button--small');
      revoke.type = 'button';
      revoke.setAttribute('aria-label', `Revoke ${KIND_TEXT[s.kind]} on ${s.value}`);
      revoke.addEventListener('click', () => {
        revoke.disabled = true;
        revoke.textContent = 'Revoking…';
        apiSend<Sighting>('DELETE', `/v1/sightings/${encodeURIComponent(s.id)}`, ctx.key)
          .then((revoked) => {
            Object.assign(s, { revoked_at: revoked?.revoked_at ?? new Date().toISOString(), status: revoked?.status ?? s.status });
            draw();
            root.querySelector<HTMLElement>('#feedback-list-title')?.focus();
          })
          .catch((err: unknown) => {
            revoke.disabled = false;
            revoke.textContent = 'Revoke';
            fail(err, 'The feedback was not revoked');
          });
      });
      action.append(revoke);
    }
    tr.append(
      cell('Feedback', s.count > 1 ? `${KIND_TEXT[s.kind]} (${s.count})` : KIND_TEXT[s.kind]),
      cell('Note', s.note ?? ''),
      cell('Given', when(s.created_at)),
      cell('Indicator now', s.status),
      cell('Action', action),
    );
    return tr;
  };

  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (next) query.set('cursor', next);
    const answer = await apiJson<SightingPage>(`/v1/sightings?${query.toString()}`, ctx.key);
    items.push(...answer.data);
    next = answer.has_more ? answer.next : null;
    draw();
    root.dataset.state = 'ready';
    root.setAttribute('aria-busy', 'false');
  };

  more.addEventListener('click', () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    load()
      .catch((err: unknown) => fail(err, 'Older feedback could not be loaded'))
      .finally(() => {
        more.disabled = false;
        more.textContent = 'Load older feedback';
      });
  });
  await load().catch((err: unknown) => fail(err, 'Your feedback could not be loaded'));
}
