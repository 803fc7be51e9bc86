/**
 * Limits on connections, below the HTTP and Socket.IO layers, so that one
 * address cannot use up the process's file descriptors:
 *
 * - at most `perIp` open TCP connections per peer address (the socket's own
 *   address: behind a proxy that is the proxy, so raise it or let the proxy cap);
 *   a connection over the cap is destroyed as soon as it is accepted;
 * - a connection that has sent nothing within `handshakeMs` is closed, and one
 *   that has begun a request but not finished its headers too (Node's
 *   headersTimeout, checked every second instead of every 30 s);
 * - engine.io handshakes (websocket or polling, before any Socket.IO CONNECT)
 *   are counted per address in a token bucket, like Socket.IO's sessions.
 */
import type { Server as HttpServer, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { ipBucketKey, RATE_WINDOW_MS, TokenBuckets } from '../conversation/rateLimit.js';

export interface ConnectionLimits {
  /** Open TCP connections per peer address; 0 = no cap. */
  perIp: number;
  /** Longest time a new connection may take to send its request headers. */
  handshakeMs: number;
  /** Engine.io handshakes per address per 10 s; 0 = no limit. */
  handshakesPerIp: number;
}

/** Options for `http.createServer`: a request's headers must arrive within `handshakeMs`, checked every second. */
export function httpServerOptions(l: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: l.handshakeMs,
    // A whole request (body included) gets a little longer; long-polling GETs are answered well within it.
    requestTimeout: Math.max(l.handshakeMs * 2, 60_000),
    connectionsCheckingInterval: Math.min(1000, l.handshakeMs),
  };
}

function peerKey(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return ipBucketKey(a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);
}

/**
 * Caps concurrent TCP connections per peer address on `server` and closes those that send nothing
 * within `handshakeMs` (Node's own timeouts start only with a request's first byte).
 */
export function limitConnections(server: HttpServer, l: ConnectionLimits): { open(ip: string): number; refused(): number } {
  const open = new Map<string, number>();
  let refused = 0;
  server.on('connection', (socket: Socket) => {
    const silent = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), l.handshakeMs);
    silent.unref();
    socket.once('close', () => clearTimeout(silent));
  });
  const perIp = l.perIp;
  if (perIp > 0) {
    server.on('connection', (socket: Socket) => {
      const key = peerKey(socket);
      const n = open.get(key) ?? 0;
      if (n >= perIp) {
        refused++;
        socket.destroy();
        return;
      }
      open.set(key, n + 1);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left <= 0) open.delete(key);
        else open.set(key, left);
      });
    });
  }
  return { open: (ip) => open.get(ipBucketKey(ip)) ?? 0, refused: () => refused };
}

/** Engine.io handshakes per address: `take(ip)` is false once the address has used its share of the window. */
export function handshakeLimiter(perWindow: number): { take(ip: string): boolean } {
  if (perWindow <= 0) return { take: () => true };
  const buckets = new TokenBuckets(perWindow, RATE_WINDOW_MS);
  setInterval(() => buckets.prune(), 60_000).unref();
  return { take: (ip) => buckets.take(ipBucketKey(ip)) };
}
