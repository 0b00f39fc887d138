/*
 * The operators' portal of the sharing API, bundled by the build into
 * public/app.js. helmet's Content-Security-Policy (script-src 'self') forbids
 * inline scripts, so every handler is attached here.
 */
import { ApiError, apiJson, authMessage, forgetKey, saveKey, savedKey } from './api';
import { download } from './csv';
import { get } from './dom';
import { drawLookup, lookupCsv } from './lookup-view';
import type { LookupResult } from './lookup-types';
import { drawNow, nowCsv } from './now-view';
import type { RecentCampaigns } from './now-types';

let key: string | null = null;
let shown: RecentCampaigns | null = null;
let found: LookupResult | null = null;

function setLookupState(state: 'loading' | 'ready' | 'error', message = ''): void {
  const view = get('#lookup');
  view.dataset.state = state;
  view.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
  get('#lookup-loading').hidden = state !== 'loading';
  const error = get('#lookup-error');
  error.textContent = message;
  error.hidden = state !== 'error';
  get('#lookup-q').setAttribute('aria-invalid', state === 'error' ? 'true' : 'false');
  if (state !== 'ready') {
    found = null;
    get('#lookup-results').hidden = true;
    get('#lookup-empty').hidden = true;
    get('#lookup-count').textContent = '';
    get<HTMLButtonElement>('#lookup-csv').disabled = true;
  }
}

/** Looks a value up; the API's own message says why a query cannot be read. */
async function onLookupSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (!key) return;
  const q = get<HTMLInputElement>('#lookup-q').value.trim();
  if (!q) return setLookupState('error', 'Enter a phone number, sender ID, domain or URL.');
  const submit = get<HTMLButtonElement>('#lookup-submit');
  submit.disabled = true;
  setLookupState('loading');
  try {
    found = await apiJson<LookupResult>(`/v1/portal/lookup?q=${encodeURIComponent(q)}`, key);
    drawLookup(found);
    setLookupState('ready');
  } catch (err) {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    setLookupState(
      'error',
      err instanceof ApiError && err.status === 400
        ? `This cannot be looked up: ${err.message}`
        : `The look-up failed: ${(err as Error).message}`,
    );
  } finally {
    submit.disabled = false;
  }
}

function setState(state: 'loading' | 'ready' | 'error', message = ''): void {
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

function showLogin(message: string): void {
  get('#portal').hidden = true;
  get('#session').hidden = true;
  get('#login').hidden = false;
  const error = get('#login-error');
  error.textContent = message;
  error.hidden = !message;
  const input = get<HTMLInputElement>('#key');
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  input.focus();
}

function signOut(message: string): void {
  key = null;
  shown = null;
  found = null;
  forgetKey();
  get<HTMLInputElement>('#key').value = '';
  showLogin(message);
}

/** Loads the "Now" list; a refused key signs out, saying why. */
async function loadNow(withKey: string): Promise<RecentCampaigns> {
  setState('loading');
  const answer = await apiJson<RecentCampaigns>('/v1/portal/now', withKey);
  shown = answer;
  drawNow(answer);
  setState('ready');
  return answer;
}

/** Signs in with a key the API accepts, keeps it for the tab, and shows the portal. */
async function signIn(candidate: string): Promise<void> {
  get('#login').hidden = true;
  get('#portal').hidden = false;
  try {
    await loadNow(candidate);
  } catch (err) {
    get('#portal').hidden = true;
    throw err;
  }
  key = candidate;
  saveKey(candidate);
  get('#session').hidden = false;
}

function failed(err: unknown): string {
  if (err instanceof ApiError) return err.isAuth ? authMessage(err) : err.message;
  console.error(err);
  return 'Signing in failed.';
}

async function onLoginSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = get<HTMLInputElement>('#key');
  const candidate = input.value.trim();
  if (!candidate) return showLogin('Enter your operator API key.');
  const submit = get<HTMLButtonElement>('#login-submit');
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    await signIn(candidate);
    input.value = '';
    get('#main').focus();
  } catch (err) {
    forgetKey();
    showLogin(failed(err));
  } finally {
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
}

async function refresh(): Promise<void> {
  if (!key) return;
  try {
    await loadNow(key);
  } catch (err) {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    setState('error', `The list could not be loaded: ${(err as Error).message}`);
  }
}

function start(): void {
  get<HTMLFormElement>('#login-form').addEventListener('submit', onLoginSubmit);
  get('#sign-out').addEventListener('click', () => signOut(''));
  get('#now-refresh').addEventListener('click', () => void refresh());
  get<HTMLFormElement>('#lookup-form').addEventListener('submit', (event) => void onLookupSubmit(event));
  get('#lookup-csv').addEventListener('click', () => {
    if (found) download(lookupCsv(found), `lookup-${new Date().toISOString().slice(0, 13)}h.csv`);
  });
  get('#now-csv').addEventListener('click', () => {
    if (shown) download(nowCsv(shown), `campaigns-now-${new Date().toISOString().slice(0, 13)}h.csv`);
  });
  const saved = savedKey();
  if (!saved) return showLogin('');
  signIn(saved).catch((err: unknown) => {
    forgetKey();
    showLogin(failed(err));
  });
}

start();
