import { ApiError } from '@srs/browser-kit';
import { API, apiFetch, authMessage } from './api-client';
import type { LiveAnswer } from './api-types';
import { setCardState } from './cards';
import { readEventStream } from './event-stream';
import { renderLive } from './live-chart';
import { setLiveStatus } from './live-status';
import { newLiveStream } from './running-requests';
import { signOut } from './sign-out';

/*
 * The live counter: Server-Sent Events read with fetch(), because
 * EventSource cannot send the Authorization header.
 */

const LIVE_BACKOFF_MIN_MS = 1_000;
const LIVE_BACKOFF_MAX_MS = 30_000;
/** No byte from the live stream for this long: the connection is dead, reconnect. */
const LIVE_STALL_MS = 45_000;

/** Opens the stream, replacing one already open; it reconnects until signing out stops it. */
export function startLive(): void {
  void liveLoop(newLiveStream());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Connects, reads, and on any failure but a refused key waits (with jittered exponential backoff) and connects again. */
async function liveLoop(signal: AbortSignal): Promise<void> {
  let backoff = LIVE_BACKOFF_MIN_MS;
  while (!signal.aborted) {
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort();
    signal.addEventListener('abort', abortAttempt, { once: true });
    let stall: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(abortAttempt, LIVE_STALL_MS);
    };
    try {
      setLiveStatus(backoff === LIVE_BACKOFF_MIN_MS ? 'Live: connecting…' : 'Live: reconnecting…', 'connecting');
      watch();
      const res = await apiFetch(`${API}/live`, { accept: 'text/event-stream', signal: attempt.signal });
      if (!res.body) throw new Error('no stream');
      setLiveStatus('Live: connected', 'ok');
      await readEventStream(
        res.body,
        (name, data) => {
          if (name !== 'counts') return;
          renderLive(JSON.parse(data) as LiveAnswer);
          backoff = LIVE_BACKOFF_MIN_MS;
        },
        watch,
      );
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
      if (err instanceof ApiError && err.status && err.status < 500 && err.status !== 429) {
        setLiveStatus(`Live: unavailable (HTTP ${err.status})`, 'error');
        setCardState('live', 'error', err.message);
      }
    } finally {
      clearTimeout(stall);
      signal.removeEventListener('abort', abortAttempt);
    }
    if (signal.aborted) return;
    const wait = Math.round(backoff * (0.75 + Math.random() * 0.5));
    setLiveStatus(`Live: reconnecting in ${Math.max(1, Math.round(wait / 1000))} s`, 'waiting');
    await sleep(wait, signal);
    backoff = Math.min(backoff * 2, LIVE_BACKOFF_MAX_MS);
  }
}
