/**
 * Which pages may talk to kefu: requests without an Origin (curl, server to
 * server), kefu's own pages, and the carrier sites listed in ALLOWED_ORIGINS.
 * Shared by CORS on /api, the CSP and Socket.IO's handshake check.
 *
 * kefu's own origin comes from configuration (PUBLIC_URL) or from the address
 * it listens on — never from the request's Host header, which a page on a
 * rebound DNS name (`rebind.evil.example` resolving to kefu's address) sets
 * to whatever it likes.
 */
import { networkInterfaces } from 'node:os';

/** kefu's own origins, known once it listens (the port may be picked by the OS). */
export interface OwnOrigins {
  list(): readonly string[];
}

/** A fixed list (PUBLIC_URL, tests). */
export const fixedOrigins = (origins: readonly string[]): OwnOrigins => ({ list: () => origins });

function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The origins of kefu's own pages: PUBLIC_URL when set; otherwise
 * `http://HOST:PORT`, and for a wildcard or loopback HOST every address of
 * this machine and `localhost` (IP literals and localhost cannot be rebound).
 */
export function listeningOrigins(publicUrl: string | undefined, host: string, port: number): string[] {
  if (publicUrl) return [publicUrl];
  const hosts = new Set<string>();
  const wildcard = host === '0.0.0.0' || host === '::';
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '::1';
  if (wildcard || loopback) {
    hosts.add('localhost');
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (wildcard || a.internal) hosts.add(hostPart(a.address.replace(/%.*$/, '')));
    }
  }
  if (!wildcard) hosts.add(hostPart(host));
  return [...hosts].map((h) => new URL(`http://${h}:${port}`).origin);
}

/** Whether a request carrying `origin` is allowed: no Origin, one of kefu's own, or an allowed site's. */
export function originAllowedFor(origin: string | undefined, own: OwnOrigins, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  return own.list().includes(origin);
}

/**
 * The older check, by the Host header: same origin when the Origin's host equals it.
 * A DNS-rebinding page passes it; use `originAllowedFor` with kefu's own origins.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and other non-URLs
  }
}
