/**
 * The REST channel, for integrations and curl:
 *   POST /api/messages                  { sessionId?, text, payload?, clientMessageId?, locale? } → { sessionId, replies }
 *   GET  /api/sessions/:id/transcript   → { sessionId, status, entries }
 *   POST /api/sessions/:id/leave-queue  → { sessionId, replies } (stop waiting for an agent, as the socket's `leave_queue`)
 * Errors are `{ error: { code, message } }` with a 4xx/5xx status.
 */
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { Conversations } from '../conversation/index.js';
import { ProtocolFailure } from '../core/errors.js';
import { isSessionIdShaped } from '../conversation/validate.js';
import type { BotMessage, RestLeaveQueueResponse, RestMessageResponse, RestTranscriptResponse } from '../protocol.js';
import { clientIp } from './clientIp.js';
import type { OwnOrigins } from './origins.js';
import { apiCors } from './security.js';

export interface ApiOptions {
  conversations: Conversations;
  allowedOrigins: readonly string[];
  /** kefu's own origins (PUBLIC_URL or the listening address). */
  ownOrigins: OwnOrigins;
  trustProxyHops: number;
  /** The desk's `leave_queue`: resolves to what the user was told. Without a desk the route answers NOT_FOUND. */
  leaveQueue?: (sessionId: string) => Promise<BotMessage[]>;
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

  // No body to read: the unguessable session id is the user's only credential, as for the transcript.
  router.post('/sessions/:id/leave-queue', async (req, res) => {
    const leave = o.leaveQueue;
    if (!leave) throw new ProtocolFailure('NOT_FOUND', 'no desk here');
    const sessionId = req.params.id;
    if (!(await o.conversations.deps.limiter.take('ip', peerOf(req).ip))) throw new ProtocolFailure('RATE_LIMITED', 'too many requests from this address');
    if (!isSessionIdShaped(sessionId)) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    const replies = await inFlight.track(() => leave(sessionId));
    const body: RestLeaveQueueResponse = { sessionId, replies };
    res.json(body);
  });

  router.use((_req, _res, next) => next(new ProtocolFailure('NOT_FOUND', 'no such API route')));
  // The router decodes `:id` before any handler runs; an id whose %-escapes do not decode is a malformed id.
  const malformedId: ErrorRequestHandler = (err, req, _res, next) =>
    next(err instanceof URIError && req.path.startsWith('/sessions/') ? new ProtocolFailure('UNKNOWN_SESSION', 'no such session') : err);
  router.use(malformedId);
  return router;
}
