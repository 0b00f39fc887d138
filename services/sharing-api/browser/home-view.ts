import { ApiError, get, saveCsv } from '@srs/browser-kit';
import { apiJson } from './api';
import { drawLookup, lookupCsv } from './lookup-view';
import type { LookupResult } from './lookup-types';
import { drawNow, filterNow, nowCsv, type NowFilter } from './now-view';
import type { RecentCampaigns } from './now-types';
import type { PortalContext } from './view';

/**
 * The home view: "Now" (campaigns of the last 24 hours) and the look-up.
 * Handlers are attached once; each reads the context of the current sign-in.
 */
export class HomeView {
  private ctx: PortalContext | null = null;
  private shown: RecentCampaigns | null = null;
  private found: LookupResult | null = null;
  private lastQuery = '';

  constructor() {
    get('#now-refresh').addEventListener('click', () => void this.refresh());
    get<HTMLSelectElement>('#now-filter').addEventListener('change', () => {
      if (this.shown) drawNow(this.shown, this.filter());
    });
    get('#now-csv').addEventListener('click', () => {
      if (this.shown) saveCsv(nowCsv(filterNow(this.shown, this.filter())), `campaigns-now-${stamp()}.csv`);
    });
    get<HTMLFormElement>('#lookup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.lookup(get<HTMLInputElement>('#lookup-q').value.trim());
    });
    get('#lookup-csv').addEventListener('click', () => {
      if (this.found) saveCsv(lookupCsv(this.found), `lookup-${stamp()}.csv`);
    });
  }

  /** Loads "Now" with a key: the sign-in's own check that the key reads. */
  async load(ctx: PortalContext): Promise<void> {
    this.ctx = ctx;
    this.setNowState('loading');
    const answer = await apiJson<RecentCampaigns>('/v1/portal/now', ctx.key);
    this.shown = answer;
    drawNow(answer, this.filter());
    this.setNowState('ready');
  }

  forget(): void {
    this.ctx = null;
    this.shown = null;
    this.found = null;
    this.lastQuery = '';
    get<HTMLInputElement>('#lookup-q').value = '';
    this.setLookupState('idle');
  }

  async refresh(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      await this.load(ctx);
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
      this.setNowState('error', `The list could not be loaded: ${(err as Error).message}`);
    }
    // feedback given from the look-up shows in its counts
    if (this.found && this.lastQuery) await this.lookup(this.lastQuery, false);
  }

  private filter(): NowFilter {
    return get<HTMLSelectElement>('#now-filter').value === 'own' ? 'own' : 'all';
  }

  /** Looks a value up; the API's own message says why a query cannot be read. */
  private async lookup(q: string, announce = true): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    if (!q) return this.setLookupState('error', 'Enter a phone number, sender ID, domain or URL.');
    const submit = get<HTMLButtonElement>('#lookup-submit');
    submit.disabled = true;
    if (announce) this.setLookupState('loading');
    try {
      const found = await apiJson<LookupResult>(`/v1/portal/lookup?q=${encodeURIComponent(q)}`, ctx.key);
      this.found = found;
      this.lastQuery = q;
      drawLookup(found, ctx, () => void this.lookup(q, false));
      this.setLookupState('ready');
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
      this.setLookupState(
        'error',
        err instanceof ApiError && err.status === 400
          ? `This cannot be looked up: ${err.message}`
          : `The look-up failed: ${(err as Error).message}`,
      );
    } finally {
      submit.disabled = false;
    }
  }

  private setNowState(state: 'loading' | 'ready' | 'error', message = ''): void {
    const view = get('#now');
    view.dataset.state = state;
    view.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    get('#now-loading').hidden = state !== 'loading';
    const error = get('#now-error');
    error.textContent = message;
    error.hidden = state !== 'error';
    if (state !== 'ready') {
      get('#now-table-wrap').hidden = true;
      get('#now-empty').hidden = true;
    }
  }

  private setLookupState(state: 'idle' | 'loading' | 'ready' | 'error', message = ''): void {
    const view = get('#lookup');
    view.dataset.state = state;
    view.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    get('#lookup-loading').hidden = state !== 'loading';
    const error = get('#lookup-error');
    error.textContent = message;
    error.hidden = state !== 'error';
    get('#lookup-q').setAttribute('aria-invalid', state === 'error' ? 'true' : 'false');
    if (state !== 'ready') {
      this.found = null;
      get('#lookup-results').hidden = true;
      get('#lookup-empty').hidden = true;
      get('#lookup-count').textContent = '';
      get<HTMLButtonElement>('#lookup-csv').disabled = true;
    }
  }
}

const stamp = () => `${new Date().toISOString().slice(0, 13)}h`;
