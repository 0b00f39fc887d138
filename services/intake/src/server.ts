import { listen, type RunningServer } from '@srs/http';
import { createIntakeApp, type IntakeDeps } from './app';

/** The intake's HTTP server, as main runs it and as the integration tests run it. */
export function startIntakeServer(deps: IntakeDeps, port = deps.config.intake.port): Promise<RunningServer> {
  return listen(createIntakeApp(deps), port, deps.config.http.host, {
    // A Kannel GET carries the whole text percent-encoded in the URL (up to 3 bytes per byte);
    // the route answers an over-long query with a JSON 400 instead of Node's bare 431.
    maxHeaderSize: deps.config.intake.maxBodyBytes * 4 + 16 * 1024,
  });
}
