import { ApiError, apiJson, apiUrl, authMessage, setSessionKey } from './api-client';
import type { MetaAnswer } from './api-types';
import { createCharts } from './chart-setup';
import { get } from './dom';
import { startLive } from './live-stream';
import { applyMeta } from './meta';
import { refresh } from './refresh';
import { forgetSavedKey, saveKey, savedKey } from './saved-key';
import { showLogin, signOut } from './sign-out';

async function showDashboard(): Promise<void> {
  get('#login').hidden = true;
  get('#dashboard').hidden = false;
  get('#session').hidden = false;
  createCharts();
  startLive();
  await refresh();
}

/** Signs in with a key /meta accepts, keeps it for the tab, and draws the dashboard. */
async function signIn(key: string): Promise<void> {
  const meta = await apiJson<MetaAnswer>(apiUrl('/meta'), { key });
  setSessionKey(key);
  saveKey(key);
  applyMeta(meta);
  await showDashboard();
}

export async function onLoginSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = get<HTMLInputElement>('#key');
  const key = input.value.trim();
  if (!key) return showLogin('Enter your regulator key.');
  const submit = get<HTMLButtonElement>('#login-submit');
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    await signIn(key);
    input.value = '';
    get('#main').focus();
  } catch (err) {
    const message = err instanceof ApiError ? (err.isAuth ? authMessage(err) : err.message) : 'Signing in failed.';
    showLogin(message);
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
}

/** Signs in again with the key this tab kept, if any: a reload stays signed in. */
export function resumeSession(): void {
  const saved = savedKey();
  if (!saved) return showLogin('');
  signIn(saved).catch((err: unknown) => {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    forgetSavedKey();
    showLogin(err instanceof ApiError ? err.message : 'Signing in failed.');
  });
}
