/**
 * The client's address for rate limiting, the same way for HTTP requests and
 * socket handshakes. X-Forwarded-For is believed only as far as TRUST_PROXY
 * says: a client can write anything into it, only our own proxies' entries
 * are true.
 */

function normalize(ip: string): string {
  const t = ip.trim();
  return t.startsWith('::ffff:') && t.includes('.') ? t.slice(7) : t;
}

/**
 * `trustHops` = 0: the peer's own address; n: the address n hops back along
 * X-Forwarded-For (capped at its left-most entry).
 */
export function clientIp(remote: string | undefined, forwardedFor: string | string[] | undefined, trustHops: number): string {
  const peer = normalize(remote ?? 'unknown');
  if (trustHops <= 0 || forwardedFor === undefined) return peer;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map(normalize)
    .filter(Boolean);
  // Right to left: peer, then each proxy's view of who called it.
  const path = [peer, ...chain.reverse()];
  return path[Math.min(trustHops, path.length - 1)]!;
}
