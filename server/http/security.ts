/**
 * Security headers (helmet) and CORS for /api.
 *
 * The CSP is written for the demo page and the widget: scripts only from
 * kefu itself (/widget.js), inline styles allowed because the widget puts a
 * `<style>` element into its shadow root, and connections to kefu's own
 * socket (kefu's own origins as ws/wss) plus the allowed origins.
 */
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { ProtocolFailure } from '../core/errors.js';
import { originAllowedFor, type OwnOrigins } from './origins.js';

/** The websocket addresses of kefu's own origins (from configuration, never from the Host header). */
function ownSockets(own: OwnOrigins): string {
  const list = own.list().map((o) => o.replace(/^http/, 'ws'));
  return list.length > 0 ? list.join(' ') : "'self'";
}

/** helmet with kefu's CSP. */
export function securityHeaders(allowedOrigins: readonly string[], own: OwnOrigins): RequestHandler {
  const socketsOfAllowed = allowedOrigins.map((o) => o.replace(/^http/, 'ws'));
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", () => ownSockets(own), ...allowedOrigins, ...socketsOfAllowed],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", ...allowedOrigins],
        // kefu often runs on plain http (a LAN address, a test port); upgrading would break it.
        upgradeInsecureRequests: null,
      },
    },
    // Pages of other sites load /widget.js; that route relaxes this per response.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** Lets the embedding page of another site load this response (`<script src>` of /widget.js). */
export function allowCrossOriginEmbedding(res: Response): void {
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/** CORS for /api: allowed origins get the headers and preflights; others a 403 FORBIDDEN_ORIGIN. */
export function apiCors(allowedOrigins: readonly string[], own: OwnOrigins): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!originAllowedFor(origin, own, allowedOrigins)) {
      next(new ProtocolFailure('FORBIDDEN_ORIGIN', `origin ${origin} may not use this API`));
      return;
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.vary('Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
