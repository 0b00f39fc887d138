/*
 * "Webhooks and keys" (issue 29, point 5): the operator's webhooks and its
 * API keys. What a key may change follows its scopes, as the API would
 * decide: without admin, the webhooks are shown read-only and the keys not
 * at all (GET /v1/keys needs admin), each with a note saying so.
 */
import { el } from '@srs/browser-kit';
import { keysPanel } from './keys-panel';
import type { PortalContext } from './view';
import { webhooksPanel } from './webhooks-panel';

/** The drawing each root shows now: an answer that arrives after the view was drawn again draws nothing. */
const drawings = new WeakMap<HTMLElement, object>();

/** (Re)draws the whole view into `root`, then loads both lists at once. */
export async function showSubscriptions(root: HTMLElement, ctx: PortalContext): Promise<void> {
  const drawing = {};
  drawings.set(root, drawing);
  const alive = () => drawings.get(root) === drawing && root.isConnected;
  const intro = el(
    'p',
    ctx.can('admin')
      ? `Signed in as ${ctx.session.operator.name} with an admin key: you can change the webhooks and keys below.`
      : `Signed in as ${ctx.session.operator.name} with a key without the admin scope: what is shown here is read-only.`,
    'muted',
  );
  intro.id = 'subs-intro';
  const webhooks = webhooksPanel(ctx, alive);
  const keys = keysPanel(ctx, alive);
  root.classList.add('subs');
  root.replaceChildren(intro, webhooks.section, keys.section);
  await Promise.all([webhooks.load(), keys.load()]);
}
