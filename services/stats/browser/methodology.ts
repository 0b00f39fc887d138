import { ApiError, get } from '@srs/browser-kit';
import { API, apiFetch, authMessage } from './api-client';
import { signOut } from './sign-out';

/** The methodology note in the footer, fetched the first time it is opened after signing in. */
export async function loadMethodology(details: HTMLDetailsElement): Promise<void> {
  const target = get('[data-methodology]', details);
  if (details.dataset.loaded) return;
  target.textContent = 'Loading…';
  try {
    const res = await apiFetch(`${API}/methodology`, { accept: 'text/markdown, text/plain' });
    target.textContent = await res.text();
    details.dataset.loaded = '1';
  } catch (err) {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    target.textContent = `The methodology could not be loaded: ${(err as Error).message}`;
  }
}
