/*
 * The requests a signed-in page keeps running: the latest refresh and the
 * live stream. A new one of either aborts the one before, and signing out
 * aborts both.
 */

let refresh: AbortController | null = null;
let live: AbortController | null = null;

/** The signal of a new refresh; a refresh still drawing is given up. */
export function newRefresh(): AbortSignal {
  if (refresh) refresh.abort();
  refresh = new AbortController();
  return refresh.signal;
}

export function stopRefresh(): void {
  if (refresh) refresh.abort();
}

/** The signal of a new live stream, which replaces the one before. */
export function newLiveStream(): AbortSignal {
  stopLiveStream();
  live = new AbortController();
  return live.signal;
}

export function stopLiveStream(): void {
  if (live) live.abort();
  live = null;
}
