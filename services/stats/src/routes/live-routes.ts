import type { StatsRepository } from '@srs/db';
import { AppError } from '@srs/http';
import type { Logger } from '@srs/logging';
import { Router, type RequestHandler } from 'express';
import { liveView } from '../views/live-view';

export interface LiveRoutesDeps {
  repository: StatsRepository;
  /** the secret the live counts' noise is drawn with */
  noiseKey: Buffer;
  auth: RequestHandler[];
  logger: Logger;
  intervalMs: number;
  maxStreams: number;
  /** aborted at shutdown: open streams end so the server can close */
  signal?: AbortSignal;
}

/** Live counters as Server-Sent Events: an event `counts` at once, then one per interval. */
export function liveRoutes(deps: LiveRoutesDeps): Router {
  const router = Router();
  let open = 0;
  router.get('/v1/stats/live', ...deps.auth, async (req, res) => {
    if (open >= deps.maxStreams) throw AppError.unavailable('too_many_streams', 'too many live streams are open; retry shortly', 5);
    open++;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let sending = false;
    const send = async () => {
      if (sending) return;
      sending = true;
      try {
        const counts = await liveView(deps.repository, deps.noiseKey);
        res.write(`event: counts\nid: ${counts.minutes[counts.minutes.length - 1]}\ndata: ${JSON.stringify(counts)}\n\n`);
      } catch (err) {
        deps.logger.warn({ err, requestId: req.id }, 'live counters unavailable; the next tick retries');
        res.write(': counters unavailable, retrying\n\n');
      } finally {
        sending = false;
      }
    };
    const timer = setInterval(() => void send(), deps.intervalMs);
    const end = () => {
      clearInterval(timer);
      deps.signal?.removeEventListener('abort', end);
      if (!res.writableEnded) res.end();
    };
    req.on('close', () => {
      open--;
      end();
    });
    deps.signal?.addEventListener('abort', end);
    await send();
  });
  return router;
}
