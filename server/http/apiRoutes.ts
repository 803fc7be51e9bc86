/**
 * The REST channel, for integrations and curl:
 *   POST /api/messages                  { sessionId?, text, payload?, clientMessageId?, locale? } → { sessionId, replies }
 *   GET  /api/sessions/:id/transcript   → { sessionId, status, entries }
 * Errors are `{ error: { code, message } }` with a 4xx/5xx status.
 */
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { Conversations } from '../conversation/index.js';
import { ProtocolFailure } from '../core/errors.js';
import type { RestMessageResponse, RestTranscriptResponse } from '../protocol.js';
import { clientIp } from './clientIp.js';
import type { OwnOrigins } from './origins.js';
import { apiCors } from './security.js';

export interface ApiOptions {
  conversations: Conversations;
  allowedOrigins: readonly string[];
  /** kefu's own origins (PUBLIC_URL or the listening address). */
  ownOrigins: OwnOrigins;
  trustProxyHops: number;
}

/** Bodies are small: a 500-character message is at most ~2 kB of JSON. */
const BODY_LIMIT = '16kb';

export function apiRoutes(o: ApiOptions): Router {
  const router = Router();
  router.use(apiCors(o.allowedOrigins, o.ownOrigins));
  router.use(express.json({ limit: BODY_LIMIT, strict: false }));

  const peerOf = (req: Request) => ({ ip: clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.trustProxyHops), channel: 'rest' as const });
  const { sessions, turns, inFlight } = o.conversations;

  router.post('/messages', async (req, res) => {
    if (!req.is('application/json')) {
      throw new ProtocolFailure('INVALID_PAYLOAD', 'send a JSON body with Content-Type: application/json');
    }
    const outcome = await inFlight.track(() => turns.restTurn(req.body, peerOf(req)));
    const body: RestMessageResponse = {
      sessionId: outcome.sessionId,
      replies: outcome.replies,
      ...(outcome.routedTo ? { routedTo: outcome.routedTo } : {}),
      ...(outcome.opened?.replaced ? { replaces: outcome.opened.replaced } : {}),
    };
    res.json(body);
  });

  router.get('/sessions/:id/transcript', async (req, res) => {
    const body: RestTranscriptResponse = await inFlight.track(() => sessions.history(req.params.id, peerOf(req)));
    res.json(body);
  });

  router.use((_req, _res, next) => next(new ProtocolFailure('NOT_FOUND', 'no such API route')));
  // The router decodes `:id` before any handler runs; an id whose %-escapes do not decode is a malformed id.
  const malformedId: ErrorRequestHandler = (err, req, _res, next) =>
    next(err instanceof URIError && req.path.startsWith('/sessions/') ? new ProtocolFailure('UNKNOWN_SESSION', 'no such session') : err);
  router.use(malformedId);
  return router;
}
