/*
 * The operators' portal of the sharing API, bundled by the build into
 * public/app.js. helmet's Content-Security-Policy (script-src 'self') forbids
 * inline scripts, so every handler is attached here and in the views.
 */
import { type ApiError, get, onKeySubmit, showKeyForm, signInFailure } from '@srs/browser-kit';
import { apiJson, authMessage, operatorKey } from './api';
import { showCampaign } from './campaign-view';
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
  showKeyForm(message);
}

function signOut(message: string): void {
  ctx = null;
  home.forget();
  operatorKey.forget();
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
  operatorKey.save(candidate);
  get('#session-who').textContent = `${session.operator.name} · ${session.key.scopes.join(', ')}`;
  get('#nav-subscriptions').hidden = !next.can('admin');
  get('#session').hidden = false;
  get('#nav').hidden = false;
  await route(false);
}

/** A sign-in that failed forgets the key, so a reload does not try it again. */
function failed(err: unknown): void {
  operatorKey.forget();
  showLogin(signInFailure(err, authMessage));
}

const onLoginSubmit = onKeySubmit({ emptyMessage: 'Enter your operator API key.', showLogin, signIn, failed });

function start(): void {
  get<HTMLFormElement>('#login-form').addEventListener('submit', (event) => void onLoginSubmit(event));
  get('#sign-out').addEventListener('click', () => signOut(''));
  window.addEventListener('hashchange', () => void route(true));
  const saved = operatorKey.saved();
  if (!saved) return showLogin('');
  signIn(saved).catch(failed);
}

start();
