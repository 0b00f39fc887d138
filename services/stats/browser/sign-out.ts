import { find, get, showKeyForm } from '@srs/browser-kit';
import { setSessionKey } from './api-client';
import { destroyCharts } from './chart-setup';
import { setLiveStatus } from './live-status';
import { stopLiveStream, stopRefresh } from './running-requests';
import { regulatorKey } from './saved-key';
import { forgetShownRequests } from './view-requests';

/** The sign-in form, with a message saying why (or none). */
export function showLogin(message: string): void {
  get('#dashboard').hidden = true;
  get('#session').hidden = true;
  showKeyForm(message);
}

/** Forgets the key and everything drawn with it; also what a refused key leads to, with the reason. */
export function signOut(message: string): void {
  setSessionKey(null);
  regulatorKey.forget();
  stopRefresh();
  stopLiveStream();
  destroyCharts();
  forgetShownRequests();
  const methodology = find<HTMLDetailsElement>('#methodology');
  if (methodology) {
    methodology.open = false;
    delete methodology.dataset.loaded;
  }
  get<HTMLInputElement>('#key').value = '';
  setLiveStatus('', 'idle');
  showLogin(message);
}
