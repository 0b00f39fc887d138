import { ApiError, get, isAbort } from '@srs/browser-kit';
import { apiJson, apiUrl, authMessage } from './api-client';
import { cardOf, setCardState, type ViewName } from './cards';
import { DATE_FMT } from './dates';
import { filters, validate, type Filters } from './filters';
import { countryName, humanise } from './format';
import { newRefresh } from './running-requests';
import { signOut } from './sign-out';
import { forgetShownRequests, setShownRequest, viewRequests, type ViewRequest } from './view-requests';
import { renderers, type AnswerOf } from './views/renderers';

function showDashboardError(message: string | null): void {
  const box = get('#dashboard-error');
  box.textContent = message || '';
  box.hidden = !message;
}

/** Asks for every view under the form's filters and draws each answer as it comes; a newer refresh abandons this one. */
export async function refresh(): Promise<void> {
  const f = filters();
  const problem = validate(f);
  showDashboardError(problem);
  if (problem) return;
  const signal = newRefresh();
  get('#period-note').textContent =
    `Showing ${DATE_FMT.format(new Date(`${f.from}T00:00:00Z`))} to ${DATE_FMT.format(new Date(`${f.to}T00:00:00Z`))} (UTC), by ${f.grain}` +
    `${f.category ? `, category ${humanise(f.category).toLowerCase()}` : ''}${f.country ? `, sender country ${countryName(f.country)}` : ''}.`;
  const requests = viewRequests(f);
  forgetShownRequests();
  await Promise.all((Object.keys(requests) as ViewName[]).map((view) => drawView(view, requests[view], f, signal)));
}

async function drawView<V extends ViewName>(view: V, request: ViewRequest, f: Filters, signal: AbortSignal): Promise<void> {
  const url = apiUrl(request.path, request.params);
  setShownRequest(view, request);
  const card = cardOf(view);
  // the query the card shows, which the browser tests compare with the API's answer
  card.dataset.query = url;
  setCardState(view, 'loading');
  try {
    const answer = await apiJson<AnswerOf[V]>(url, { signal });
    if (signal.aborted) return;
    renderers[view](answer, f);
    setCardState(view, 'ready');
  } catch (err) {
    if (signal.aborted || isAbort(err)) return;
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    setCardState(view, 'error', err instanceof ApiError ? err.message : 'This view could not be drawn.');
    if (!(err instanceof ApiError)) console.error(err);
  }
}
