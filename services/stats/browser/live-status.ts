import { get } from '@srs/browser-kit';

/** The state of the live stream, styled by data-kind. */
export type LiveStatusKind = 'idle' | 'connecting' | 'ok' | 'waiting' | 'error';

/** The header's live status; unchanged text is not written again, so screen readers do not repeat it. */
export function setLiveStatus(text: string, kind: LiveStatusKind): void {
  const el = get('#live-status');
  if (el.textContent !== text) el.textContent = text;
  el.dataset.kind = kind;
}
