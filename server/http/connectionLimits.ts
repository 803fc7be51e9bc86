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
 * - open Engine.IO sessions per address are capped at `perIp` as well: a
 *   long-polling session holds no TCP connection between its requests, so
 *   the TCP cap alone would not bound them.
 *
 * The Engine.IO cap counts sessions open at once, not handshakes over time: the
 * rate of handshakes is Socket.IO's middleware's to limit, because only there
 * can a refusal reach the client as a `connect_error` with a code
 * (RATE_LIMITED). A refused WebSocket upgrade is a bare "websocket error" to
 * any client, so the Engine.IO layer refuses only a flood past the hard cap.
 */
import type { Server as HttpServer, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { ipBucketKey } from '../conversation/rateLimit.js';

export interface ConnectionLimits {
  /** Open TCP connections per peer address (and, in Socket.IO, open Engine.IO sessions per client address); 0 = no cap. */
  perIp: number;
  /** Longest time a new connection may take to send its request headers. */
  handshakeMs: number;
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

function peerAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * Caps concurrent TCP connections per peer address on `server` and closes those that send nothing
 * within `handshakeMs` (Node's own timeouts start only with a request's first byte).
 */
export function limitConnections(server: HttpServer, l: ConnectionLimits): { open(ip: string): number; refused(): number } {
  const cap = perAddressCap(l.perIp);
  let refused = 0;
  server.on('connection', (socket: Socket) => {
    const silent = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), l.handshakeMs);
    silent.unref();
    socket.once('close', () => clearTimeout(silent));
    if (l.perIp <= 0) return;
    const release = cap.take(peerAddress(socket));
    if (!release) {
      refused++;
      socket.destroy();
      return;
    }
    socket.once('close', release);
  });
  return { open: cap.open, refused: () => refused };
}

/** Open things per address, up to a cap: `take` returns the release, or undefined when the address is at the cap. */
export interface PerAddressCap {
  take(ip: string): (() => void) | undefined;
  open(ip: string): number;
}

/** Counts what is open per address (its IPv6 /64 counts as one), refusing past `cap`; 0 = no cap. */
export function perAddressCap(cap: number): PerAddressCap {
  const open = new Map<string, number>();
  return {
    take(ip) {
      const key = ipBucketKey(ip);
      const n = open.get(key) ?? 0;
      if (cap > 0 && n >= cap) return undefined;
      open.set(key, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left <= 0) open.delete(key);
        else open.set(key, left);
      };
    },
    open: (ip) => open.get(ipBucketKey(ip)) ?? 0,
  };
}
