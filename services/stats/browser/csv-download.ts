import { ApiError, saveCsv } from '@srs/browser-kit';
import { apiFetch, apiUrl, authMessage } from './api-client';
import { cardState, setCardState, type ViewName } from './cards';
import { signOut } from './sign-out';
import { shownRequest } from './view-requests';

/**
 * Downloads what a view shows as CSV. Fetched with the key (a plain link
 * could not send it), then handed to the browser as a download.
 */
export async function downloadCsv(view: ViewName, button: HTMLButtonElement): Promise<void> {
  const request = shownRequest(view);
  // the button's text node, before its visually hidden span
  const caption = button.firstChild;
  if (!request || !caption) return;
  const url = apiUrl(request.path, { ...request.params, format: 'csv' });
  const label = caption.textContent;
  button.disabled = true;
  caption.textContent = 'Preparing…';
  try {
    const res = await apiFetch(url, { accept: 'text/csv' });
    saveCsv(await res.blob(), fileName(res.headers.get('Content-Disposition')) || request.file);
  } catch (err) {
    if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
    setCardState(view, cardState(view), `The CSV could not be downloaded: ${(err as Error).message}`);
  } finally {
    button.disabled = false;
    caption.textContent = label;
  }
}

/** The file name the API gives its download, so both ways of fetching a view name it alike. */
function fileName(disposition: string | null): string | null {
  const match = /filename="?([^";]+)"?/i.exec(disposition || '');
  return match && match[1] && /^[\w.-]+\.csv$/.test(match[1]) ? match[1] : null;
}
