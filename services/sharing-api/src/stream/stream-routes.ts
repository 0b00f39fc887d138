import { once } from 'node:events';
import { INDICATOR_TYPES } from '@srs/core';
import { AppError } from '@srs/http';
import type { Logger } from '@srs/logging';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../feed/cursor';
import type { SealedIds } from '../feed/sealed-ids';
import { matchesFilter, type ChangeFilter } from './change-filter';
import type { ChangeNotices } from './change-notices';
import { changeJson, EVENT_TYPES, type Change, type ChangeKind, type ChangeReader } from './change-reader';

export interface StreamOptions {
  /** how often an open stream looks for new changes when no notification woke it (the fallback while notifications are lost) */
  pollMs: number;
  /** a comment line after this long without an event, so proxies keep the connection open */
  heartbeatMs: number;
  /** open streams per process; beyond it, 503 with Retry-After */
  maxStreams: number;
  /** open streams of one operator (all its keys) per process; beyond it, 429, so one operator cannot take every slot */
  maxPerOperator: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { pollMs: 5000, heartbeatMs: 15_000, maxStreams: 200, maxPerOperator: 5 };

export interface StreamRoutesDeps {
  reader: ChangeReader;
  /** committed changes as the process hears of them: an open stream waits on them, polling only as a fallback */
  changes: ChangeNotices;
  /** seals event ids and the ids in events, as the feed does (the same key: event ids are feed cursors) */
  ids: SealedIds;
  auth: RequestHandler | RequestHandler[];
  logger: Logger;
  options?: Partial<StreamOptions>;
  /** aborted at shutdown: every open stream ends, and clients reconnect elsewhere with Last-Event-ID */
  signal?: AbortSignal;
}

/** Changes read at once; a stream catching up sends them without waiting between reads. */
const BATCH = 500;
/** What the client waits before reconnecting (the SSE `retry` field). */
const RECONNECT_MS = 2000;

const commaList = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .refine((v) => v.split(',').every((t) => (values as readonly string[]).includes(t)), `comma-separated of ${values.join(', ')}`)
    .transform((v) => v.split(',') as T[]);

export const streamQuery = z.object({
  cursor: z.string().max(200).optional(),
  /** `now`: only changes made from now on (without a cursor the stream starts at the beginning, like the feed) */
  from: z.literal('now').optional(),
  events: commaList([EVENT_TYPES.indicator, EVENT_TYPES.campaign]).optional(),
  type: commaList(INDICATOR_TYPES).optional(),
  category: z
    .string()
    .max(200)
    .transform((v) => v.split(','))
    .optional(),
  min_confidence: z.coerce.number().min(0).max(1).optional(),
});

function frame(change: Change, ids: SealedIds): string {
  // JSON.stringify escapes newlines, so the object is one data line.
  return `id: ${encodeCursor(ids, change.seq)}\nevent: ${EVENT_TYPES[change.kind]}\ndata: ${JSON.stringify(changeJson(change, ids))}\n\n`;
}

async function write(res: Response, chunk: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  if (!res.write(chunk)) await once(res, 'drain', { signal }).catch(() => undefined);
}

/**
 * GET /v1/stream: the indicator and campaign changes as Server-Sent Events,
 * in the feed's sequence. Each event's id is the feed cursor just past it: a
 * client reconnecting with `Last-Event-ID` (as EventSource does by itself),
 * or passing it as `?cursor=` to the stream or the feed, misses nothing and
 * sees nothing twice. Filters are the feed's (`type`, `category`,
 * `min_confidence`) plus `events`. An open stream reads when a change
 * commits (ChangeNotices), and every `pollMs` besides.
 */
export function streamRoutes(deps: StreamRoutesDeps): Router {
  const options: StreamOptions = { ...DEFAULT_STREAM_OPTIONS, ...deps.options };
  const router = Router();
  let open = 0;
  /** open streams by operator: counted per operator, not per key, since an operator can make as many keys as it likes */
  const openBy = new Map<string, number>();

  async function startPosition(req: Request, q: z.infer<typeof streamQuery>): Promise<bigint> {
    const lastEventId = req.header('last-event-id');
    if (lastEventId !== undefined && lastEventId !== '') {
      try {
        return decodeCursor(deps.ids, lastEventId);
      } catch {
        throw AppError.badRequest('invalid_cursor', 'Last-Event-ID: not an event id this stream gave out', 'Last-Event-ID');
      }
    }
    if (q.cursor) return decodeCursor(deps.ids, q.cursor);
    if (q.from === 'now') return deps.reader.head();
    return 0n;
  }

  router.get('/v1/stream', ...[deps.auth].flat(), async (req, res) => {
    const viewer = req.apiKey?.operatorId;
    if (!viewer)
      throw new AppError(403, 'not_an_operator', 'the stream is for operators; this key is not an operator key', 'authorization');
    const q = streamQuery.parse(req.query);
    const filter: ChangeFilter = {
      kinds: (Object.keys(EVENT_TYPES) as ChangeKind[]).filter((kind) => !q.events || q.events.includes(EVENT_TYPES[kind])),
      indicatorTypes: q.type ?? null,
      categories: q.category ?? null,
      minConfidence: q.min_confidence ?? null,
    };
    let position = await startPosition(req, q);
    if (deps.signal?.aborted) throw AppError.unavailable('shutting_down', 'the server is shutting down; reconnect', 1);
    const mine = openBy.get(viewer) ?? 0;
    if (mine >= options.maxPerOperator) {
      throw new AppError(
        429,
        'too_many_streams_for_operator',
        `your operator already holds ${options.maxPerOperator} open streams on this server (the limit per operator); close one or retry later`,
        undefined,
        { 'Retry-After': '5' },
      );
    }
    if (open >= options.maxStreams)
      throw AppError.unavailable('too_many_streams', 'too many open streams on this server; reconnect later', 5);

    open++;
    openBy.set(viewer, mine + 1);
    const stop = new AbortController();
    const onShutdown = () => stop.abort();
    deps.signal?.addEventListener('abort', onShutdown, { once: true });
    res.on('close', () => stop.abort());
    res
      .status(200)
      .set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise hold events back in their buffers
        'x-accel-buffering': 'no',
      })
      .flushHeaders();
    try {
      await write(res, `retry: ${RECONNECT_MS}\n\n`, stop.signal);
      let lastWrite = Date.now();
      while (!stop.signal.aborted) {
        const mark = deps.changes.mark();
        const read = await deps.reader.read({ afterSeq: position, viewer, kinds: filter.kinds, limit: BATCH });
        for (const change of read.changes) {
          if (!matchesFilter(filter, change)) continue;
          await write(res, frame(change, deps.ids), stop.signal);
          lastWrite = Date.now();
        }
        position = read.position;
        if (read.more) continue;
        if (Date.now() - lastWrite >= options.heartbeatMs) {
          await write(res, ': keep-alive\n\n', stop.signal);
          lastWrite = Date.now();
        }
        // Woken by the next commit past this position (NOTIFY srs_changes); the poll is the fallback.
        await deps.changes.wait({ mark, afterSeq: position, ms: Math.min(options.pollMs, options.heartbeatMs), signal: stop.signal });
      }
    } catch (err) {
      // Headers are sent: the error middleware cannot answer. The client reconnects from its last event.
      deps.logger.warn({ err, requestId: req.id }, 'stream ended by an error');
    } finally {
      open--;
      const left = (openBy.get(viewer) ?? 1) - 1;
      if (left > 0) openBy.set(viewer, left);
      else openBy.delete(viewer);
      deps.signal?.removeEventListener('abort', onShutdown);
      if (!res.writableEnded) res.end();
    }
  });

  return router;
}
