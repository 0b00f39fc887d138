import type { KannelConnection } from '@srs/config';
import { AppError, type HotRoute } from '@srs/http';
import express, { Router, type Request } from 'express';
import { handleInbound, type InboundDeps, type InboundResult } from '../../conversation/handle-inbound';
import { kannelAuthenticator } from './kannel-auth';
import { readKannelMo, type KannelRequest } from './kannel-mo';

export const KANNEL_MO_PATH = '/v1/gateways/kannel/mo';

/** The connection whose SMSC list names this smsc-id, else the one that takes every SMSC. */
export function kannelConnectionFor(connections: KannelConnection[], smsc: string | undefined): KannelConnection {
  const named = smsc ? connections.find((c) => c.smsc.includes(smsc)) : undefined;
  const connection = named ?? connections.find((c) => c.smsc.length === 0);
  if (!connection) throw AppError.badRequest('unknown_smsc', `no operator is configured for SMSC ${smsc ?? '(none)'}`, 'smsc');
  return connection;
}

/**
 * Kannel smsbox get-url / post-url target. Answers 202 once the message is
 * queued (configure the sms-service with `max-messages = 0`: replies go out
 * through sendsms, not in this response), 400 for a malformed delivery, 503
 * when the queue is down so that Kannel keeps the message.
 */
export function kannelMoHandler(deps: InboundDeps, maxBodyBytes: number): (req: KannelRequest) => Promise<InboundResult> {
  const authenticators = new Map(deps.config.routing.kannel.map((c) => [c.name, kannelAuthenticator(c)]));
  return async (req) => {
    const mo = readKannelMo(req, maxBodyBytes * 3);
    const connection = kannelConnectionFor(deps.config.routing.kannel, mo.smsc);
    authenticators.get(connection.name)!(req);
    return handleInbound(deps, {
      channel: { gateway: 'kannel', connection: connection.name },
      operatorId: connection.operator,
      gatewayMessageId: mo.id,
      from: mo.from,
      to: mo.to,
      text: mo.text,
      coding: mo.coding,
      smsc: mo.smsc ?? null,
      receivedAt: mo.ts,
    });
  };
}

/** get-url, Kannel's default and one request per SMS: served ahead of express (see withHotRoutes). */
export function kannelHotRoute(handler: ReturnType<typeof kannelMoHandler>): HotRoute {
  return { path: KANNEL_MO_PATH, handle: async (req) => ({ status: 202, body: await handler(req) }) };
}

/** post-url, and any spelling of the path the hot route does not take (a trailing slash, HEAD). */
export function kannelRoutes(handler: ReturnType<typeof kannelMoHandler>, maxBodyBytes: number): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: maxBodyBytes });
  const route: express.RequestHandler = async (req, res) => {
    res.status(202).json(await handler(kannelRequest(req)));
  };
  router.get(KANNEL_MO_PATH, route);
  router.post(KANNEL_MO_PATH, rawBody, route);
  return router;
}

function kannelRequest(req: Request): KannelRequest {
  const q = req.originalUrl.indexOf('?');
  return {
    method: req.method,
    rawQuery: q === -1 ? '' : req.originalUrl.slice(q + 1),
    body: Buffer.isBuffer(req.body) ? req.body : undefined,
    header: (name) => req.header(name),
    remoteAddress: req.socket.remoteAddress,
  };
}
