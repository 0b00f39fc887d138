import type { KannelConnection } from '@srs/config';
import { AppError } from '@srs/http';
import express, { Router } from 'express';
import { handleInbound, type InboundDeps } from '../../conversation/handle-inbound';
import { kannelAuthenticator } from './kannel-auth';
import { readKannelMo } from './kannel-mo';

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
export function kannelRoutes(deps: InboundDeps, maxBodyBytes: number): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: maxBodyBytes });
  const authenticators = new Map(deps.config.routing.kannel.map((c) => [c.name, kannelAuthenticator(c)]));
  const handler: express.RequestHandler = async (req, res) => {
    const mo = readKannelMo(req, maxBodyBytes * 3);
    const connection = kannelConnectionFor(deps.config.routing.kannel, mo.smsc);
    authenticators.get(connection.name)!(req);
    const result = await handleInbound(deps, {
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
    res.status(202).json(result);
  };
  router.get('/v1/gateways/kannel/mo', handler);
  router.post('/v1/gateways/kannel/mo', rawBody, handler);
  return router;
}
