import { ApiError } from './api-error';
import { get } from './dom';

/*
 * Both pages sign in alike: a form with the key (#key), its button
 * (#login-submit) and an error line (#login-error) in a section (#login);
 * after signing in, focus goes to #main. What each page hides or shows
 * around it, and how it words a refused key, stays with the page.
 */

/** The form's part of showing the sign-in: its message (or none), and the key field marked and focused. */
export function showKeyForm(message: string): void {
  get('#login').hidden = false;
  const error = get('#login-error');
  error.textContent = message;
  error.hidden = !message;
  const key = get<HTMLInputElement>('#key');
  key.setAttribute('aria-invalid', message ? 'true' : 'false');
  key.focus();
}

export interface KeySubmit {
  /** what the form says when sent empty */
  emptyMessage: string;
  /** the page's sign-in view, with a message */
  showLogin(message: string): void;
  signIn(key: string): Promise<void>;
  failed(err: unknown): void;
}

/** The form's submit handler: signs in with the key typed, the button saying so meanwhile and refusing a second press. */
export function onKeySubmit(page: KeySubmit): (event: SubmitEvent) => Promise<void> {
  return async (event) => {
    event.preventDefault();
    const input = get<HTMLInputElement>('#key');
    const key = input.value.trim();
    if (!key) return page.showLogin(page.emptyMessage);
    const submit = get<HTMLButtonElement>('#login-submit');
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await page.signIn(key);
      input.value = '';
      get('#main').focus();
    } catch (err) {
      page.failed(err);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  };
}

/** What a failed sign-in says: why the key was refused (in the service's words), the API's message, or, for a bug, that it failed. */
export function signInFailure(err: unknown, authMessage: (err: ApiError) => string): string {
  if (err instanceof ApiError) return err.isAuth ? authMessage(err) : err.message;
  console.error(err);
  return 'Signing in failed.';
}
