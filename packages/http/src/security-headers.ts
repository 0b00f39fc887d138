import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** helmet with the project's settings: every service's express app and its hot routes send the same headers. */
export const securityMiddleware = () => helmet();

/**
 * The headers helmet sets, as a plain object, for answers written without
 * express (hot routes). With these settings they are the same on every
 * response, so they are worked out once by running helmet on a recorder.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };
  let done = false;
  securityMiddleware()({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}
