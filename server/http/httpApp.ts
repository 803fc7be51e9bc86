/**
 * The express application: health checks, the REST API, the static files,
 * and one error handler that turns every failure into `{ error: { code, message } }`.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Conversations } from '../conversation/conversations.js';
import { ProtocolFailure, toProtocolError } from '../conversation/errors.js';
import type { Logger } from '../log.js';
import { apiRoutes } from './apiRoutes.js';
import { securityHeaders } from './security.js';
import { staticRoutes } from './staticRoutes.js';

export interface HttpAppOptions {
  conversations: Conversations;
  logger: Logger;
  allowedOrigins: readonly string[];
  trustProxyHops: number;
  clientDir: string;
  /** /readyz answers 200 only while this is true (content and store loaded, not shutting down). */
  isReady(): boolean;
}

/** body-parser's errors carry `type` and `status`. */
function bodyParserFailure(err: unknown): ProtocolFailure | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new ProtocolFailure('INVALID_PAYLOAD', 'the body is not valid JSON');
    case 'entity.too.large':
      return new ProtocolFailure('INVALID_PAYLOAD', 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProtocolFailure('INVALID_PAYLOAD', 'send the body as UTF-8 JSON');
    default:
      return null;
  }
}

export function createHttpApp(o: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(o.allowedOrigins));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (o.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'not ready' } });
  });

  app.use('/api', apiRoutes(o));
  app.use(staticRoutes(o.clientDir));
  app.use((_req, _res, next) => next(new ProtocolFailure('NOT_FOUND', 'not found')));

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const failure = bodyParserFailure(err) ?? toProtocolError(err);
    if (failure.code === 'INTERNAL') o.logger.error({ err, method: req.method, path: req.path }, 'request failed');
    const status = (err as { type?: string }).type === 'entity.too.large' ? 413 : failure.httpStatus;
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json({ error: failure.toWire() });
  };
  app.use(onError);
  return app;
}
