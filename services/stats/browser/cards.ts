import { find, get } from '@srs/browser-kit';

/** The cards of index.html (data-view): one per API view, and the live counter. */
export type ViewName = 'summary' | 'reports' | 'campaigns' | 'indicators' | 'domains' | 'time-to-share';
export type CardName = ViewName | 'live';

/** A card's data-state, which styles it and which the browser tests wait on. */
export type CardState = 'idle' | 'loading' | 'ready' | 'error';

export function cardOf(view: CardName): HTMLElement {
  return get(`[data-view="${view}"]`);
}

export function cardState(view: CardName): CardState {
  return cardOf(view).dataset.state as CardState;
}

/** Sets a card's state, and shows a message under its heading (or takes it away). */
export function setCardState(view: CardName, stateName: CardState, message?: string): void {
  const card = cardOf(view);
  card.dataset.state = stateName;
  card.setAttribute('aria-busy', stateName === 'loading' ? 'true' : 'false');
  let error = find('.card__error', card);
  if (message) {
    if (!error) {
      error = document.createElement('p');
      error.className = 'card__error';
      error.setAttribute('role', 'alert');
      get('.card__head', card).after(error);
    }
    error.textContent = message;
  } else if (error) {
    error.remove();
  }
}
