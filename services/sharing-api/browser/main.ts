/*
 * The operators' portal of the sharing API, bundled by the build into
 * public/app.js. helmet's Content-Security-Policy (script-src 'self') forbids
 * inline scripts, so every handler is attached here and in the views.
 */
import { ApiError, apiJson, authMessage, forgetKey, saveKey, savedKey } from './api';
import { showCampaign } from './campaign-view';
import { get } from './dom';
import { showFeedback } from './feedback-view';
import { HomeView } from './home-view';
import { showSubscriptions } from './subscriptions-view';
import { portalContext, type PortalContext, type PortalSession } from './view';

type Route = { view: 'home' } | { view: 'campaign'; id: string } | { view: 'feedback' } | { view: 'subscriptions' };

let ctx: PortalContext | null = null;
const home = new HomeView();

/** The view a location hash names: #now (the default), #campaign/<STIX id>, #feedback, #subscriptions. */
function routeOf(hash: string): Route {
  const campaign = /^#campaign\/(campaign--[0-9a-f-]{36})$/.exec(hash);
  if (campaign) return { view: 'campaign', id: campaign[1]! };
  if (hash === '#feedback') return { view: 'feedback' };
  if (hash === '#subscriptions') return { view: 'subscriptions' };
  return { view: 'home' };
}

/** Shows the view the hash names; every other view is hidden, and the nav marks where the page is. */
async function route(moveFocus: boolean): Promise<void> {
  if (!ctx) return;
  const current = ctx;
  const target = routeOf(location.hash);
  for (const view of document.querySelectorAll<HTMLElement>('[data-view]')) view.hidden = view.dataset.view !== target.view;
  for (const link of document.querySelectorAll<HTMLElement>('[data-nav]')) {
    if (link.dataset.nav === target.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (target.view === 'campaign') await showCampaign(get('#campaign'), current, target.id);
  if (target.view === 'feedback') await showFeedback(get('#feedback'), current);
  if (target.view === 'subscriptions') await showSubscriptions(get('#subscriptions-body'), current);
  if (moveFocus) {
    const heading = document.querySelector<HTMLElement>(`[data-view="${target.view}"] h2`);
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }
}

function showLogin(message: string): void {
  get('#portal').hidden = true;
  get('#session').hidden = true;
  get('#nav').hidden = true;
  get('#login').hidden = false;
  const error = get('#login-error');
  error.textContent = message;
  error.hidden = !message;
  const input = get<HTMLInputElement>('#key');
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  input.focus();
}

function signOut(message: string): void {
  ctx = null;
  home.forget();
  forgetKey();
  get('#feedback-dialog').replaceChildren();
  get<HTMLInputElement>('#key').value = '';
  showLogin(message);
}

const authFailed = (err: ApiError) => signOut(authMessage(err));

/** Signs in with a key the API accepts, keeps it for the tab, and shows the portal with what the key's scopes allow. */
async function signIn(candidate: string): Promise<void> {
  const session = await apiJson<PortalSession>('/v1/portal/me', candidate);
  const next = portalContext(candidate, session, authFailed);
  get('#login').hidden = true;
  get('#portal').hidden = false;
  try {
    await home.load(next);
  } catch (err) {
    get('#portal').hidden = true;
    throw err;
  }
  ctx = next;
  saveKey(candidate);
  get('#session-who').textContent = `${session.operator.name} · ${session.key.scopes.join(', ')}`;
  get('#nav-subscriptions').hidden = !next.can('admin');
  get('#session').hidden = false;
  get('#nav').hidden = false;
  await route(false);
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

function start(): void {
  get<HTMLFormElement>('#login-form').addEventListener('submit', (event) => void onLoginSubmit(event));
  get('#sign-out').addEventListener('click', () => signOut(''));
  window.addEventListener('hashchange', () => void route(true));
  const saved = savedKey();
  if (!saved) return showLogin('');
  signIn(saved).catch((err: unknown) => {
    forgetKey();
    showLogin(failed(err));
  });
}

start();
