import { ApiError, el } from '@srs/browser-kit';
import { apiSend } from './api';
import { formAlert } from './form-fields';
import type { Panel } from './subscriptions-ui';
import type { PortalContext } from './view';

/** What a form found wrong before sending: said on the form, the field marked and focused. */
export interface FormProblem {
  problem: string;
  field?: HTMLInputElement;
}

/** What a form sends once its fields read right, and the progress line while it does. */
export interface FormRequest {
  body: unknown;
  progress: string;
}

export interface CreateFormSpec<T> {
  /** the form's id; its title's and its error line's ids derive from it */
  id: string;
  title: string;
  /** the submit button, e.g. "Create key" */
  submit: string;
  /** what the error line says failed, e.g. "The key was not created" */
  failed: string;
  path: string;
  fields: Node[];
  read(): FormProblem | FormRequest;
  created(answer: T): void;
}

/**
 * A form that creates something with one POST: its fields checked first
 * (the problem said on the form), then sent; the API's own message, naming
 * its field, when it refuses; a refused key signs out.
 */
export function createForm<T>(ctx: PortalContext, p: Panel, spec: CreateFormSpec<T>): HTMLFormElement {
  const form = el('form', '', 'subs-form');
  form.id = spec.id;
  form.noValidate = true;
  form.setAttribute('aria-labelledby', `${spec.id}-title`);
  const title = el('h4', spec.title);
  title.id = `${spec.id}-title`;
  const alert = formAlert(form, `${spec.id}-error`);
  const submit = el('button', spec.submit, 'button');
  submit.type = 'submit';
  form.append(title, ...spec.fields, alert.line, submit);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    alert.clear();
    const read = spec.read();
    if ('problem' in read) return alert.show(read.problem, '', read.field);
    submit.disabled = true;
    submit.textContent = 'Creating…';
    p.loading(read.progress);
    try {
      const answer = await apiSend<T>('POST', spec.path, ctx.key, read.body);
      form.reset();
      spec.created(answer);
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return ctx.authFailed(err);
      p.say('');
      alert.show(err instanceof Error ? err.message : String(err), spec.failed);
    } finally {
      submit.disabled = false;
      submit.textContent = spec.submit;
    }
  }
  return form;
}
