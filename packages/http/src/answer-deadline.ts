/**
 * Aborts a request whose answer has not come within `timeoutMs`, as
 * `AbortSignal.timeout` does, but only once the answers already received have
 * been read. A process held up past the timeout (a machine too busy to run it,
 * a long pause) runs its due timers before it reads its sockets: a bare timer
 * then takes an answer that came in time, and waits unread, for none, and the
 * caller sends again what the gateway took. Deciding from setImmediate lets
 * this turn's reads come first.
 */
export function answerDeadline(timeoutMs: number, host: string): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    setImmediate(() => {
      const timeout = new Error(`no answer from ${host} within ${timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      controller.abort(timeout);
    });
  }, timeoutMs);
  // Like AbortSignal.timeout: a deadline alone never keeps the process running.
  timer.unref();
  return controller.signal;
}
