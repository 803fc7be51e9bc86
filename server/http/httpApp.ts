/**
 * The express application: health checks, the REST API, the static files,
 * and one error handler that turns every failure into `{ error: { code, message } }`.
 */
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Conversations } from '../conversation/index.js';
import type { BotMessage } from '../protocol.js';
import { ProtocolFailure, toProtocolError } from '../core/errors.js';
import type { Logger } from '../log.js';
import { apiRoutes } from './apiRoutes.js';
import type { OwnOrigins } from './origins.js';
import { securityHeaders } from './security.js';
import { staticRoutes } from './staticRoutes.js';

export interface HttpAppOptions {
  conversations: Conversations;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** kefu's own origins (PUBLIC_URL or the listening address). */
  ownOrigins: OwnOrigins;
  trustProxyHops: number;
  /** REST's leave-queue, served by the desk. */
  leaveQueue?: (sessionId: string) => Promise<BotMessage[]>;
  clientDir: string;
  /** /readyz answers 200 only while this is true (content and store loaded, the store healthy, not shutting down). */
  isReady(): Promise<boolean>;
  /** More routers (the desk's), mounted before the API's and the static files' catch-alls. */
  routes?: [path: string, router: Router][];
}

/**
 * Errors that express, its router and body-parser raise for a bad request
 * (they carry a 4xx `status` and `expose: true`): malformed JSON, a body too
 * large, a charset or Content-Encoding we cannot read, a body that does not
 * decompress, a request aborted mid-body, a path whose %-escapes do not
 * decode. Each becomes a stable code; none is a server error.
 */
function requestFailure(err: unknown): { failure: ProtocolFailure; status: number } | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status, type, expose } = err as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return null;
  switch (type) {
    case 'entity.parse.failed':
      return { failure: new ProtocolFailure('INVALID_PAYLOAD', 'the body is not valid JSON'), status: 400 };
    case 'entity.too.large':
      return { failure: new ProtocolFailure('INVALID_PAYLOAD', 'the body is too large'), status: 413 };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { failure: new ProtocolFailure('INVALID_PAYLOAD', 'send the body as UTF-8 JSON, without Content-Encoding or gzip'), status: 400 };
    default:
      if (status === 404) return { failure: new ProtocolFailure('NOT_FOUND', 'not found'), status: 404 };
      if (err instanceof URIError) return { failure: new ProtocolFailure('NOT_FOUND', 'the path is not valid %-encoding'), status: 404 };
      return { failure: new ProtocolFailure('INVALID_PAYLOAD', 'the request could not be read'), status: 400 };
  }
}

export function createHttpApp(o: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(o.allowedOrigins, o.ownOrigins));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (await o.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'not ready' } });
  });

  for (const [path, router] of o.routes ?? []) app.use(path, router);
  app.use('/api', apiRoutes(o));
  app.use(staticRoutes(o.clientDir));
  app.use((_req, _res, next) => next(new ProtocolFailure('NOT_FOUND', 'not found')));

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const bad = requestFailure(err);
    const failure = bad?.failure ?? toProtocolError(err);
    if (failure.code === 'INTERNAL') o.logger.error({ err, method: req.method, path: req.path }, 'request failed');
    const status = bad?.status ?? failure.httpStatus;
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json({ error: failure.toWire() });
  };
  app.use(onError);
  return app;
}
