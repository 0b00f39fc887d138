import { ApiError, get, onKeySubmit, signInFailure } from '@srs/browser-kit';
import { apiJson, apiUrl, authMessage, setSessionKey } from './api-client';
import type { MetaAnswer } from './api-types';
import { createCharts } from './chart-setup';
import { startLive } from './live-stream';
import { applyMeta } from './meta';
import { refresh } from './refresh';
import { regulatorKey } from './saved-key';
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
  regulatorKey.save(key);
  applyMeta(meta);
  await showDashboard();
}

export const onLoginSubmit = onKeySubmit({
  emptyMessage: 'Enter your regulator key.',
  showLogin,
  signIn,
  failed: (err) => showLogin(signInFailure(err, authMessage)),
});

/** Signs in again with the key this tab kept, if any: a reload stays signed in. */
export function resumeSession(): void {
  const saved = regulatorKey.saved();
  if (!saved) return showLogin('');
  signIn(saved).catch((err: unknown) => {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    regulatorKey.forget();
    showLogin(err instanceof ApiError ? err.message : 'Signing in failed.');
  });
}
