/**
 * Which pages may talk to kefu: requests without an Origin (curl, server to
 * server), pages served by kefu itself, and the carrier sites listed in
 * ALLOWED_ORIGINS. Shared by CORS on /api and Socket.IO's handshake check.
 */

/** Whether a request carrying `origin` to `host` (the Host header) is allowed. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  // Same origin: compared by host only, so that TLS ending at a proxy in front of kefu still counts.
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and other non-URLs
  }
}
