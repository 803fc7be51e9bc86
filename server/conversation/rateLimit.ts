/**
 * Token buckets kept in this process's memory: `limit` messages per 10-second
 * window, refilled continuously, so a burst of `limit` is allowed and then
 * one message per 10 s / limit. A deployment of several processes behind a
 * load balancer needs a shared limiter (e.g. Redis) instead: each process
 * here only sees its own share of a client's traffic.
 */

export const RATE_WINDOW_MS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(readonly limit: number, readonly windowMs = RATE_WINDOW_MS) {
    this.perMs = limit / windowMs;
  }

  /** Takes a token for `key`; false when its bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    const b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, { tokens: this.limit - 1, at: now });
      return true;
    }
    b.tokens = Math.min(this.limit, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets buckets that have refilled completely, so memory follows active clients only. */
  prune(now = Date.now()): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.limit) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/**
 * The bucket of a client address: an IPv4 address as it is, an IPv6 address
 * by its /64 prefix — one subscriber (a phone on a mobile network, a home
 * line) gets a whole /64 and can pick any address in it.
 */
export function ipBucketKey(ip: string): string {
  if (!/^[0-9a-f:]+$/i.test(ip) || !ip.includes(':')) return ip;
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return ip;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
  return `${groups
    .slice(0, 4)
    .map((g) => (g.replace(/^0+/, '') || '0'))
    .join(':')}::/64`;
}

/**
 * The kinds of limit: messages per session; messages, connections and reads
 * per client address; desk login attempts per account and per address.
 */
export type RateBucket = 'session' | 'ip' | 'login_account' | 'login_ip';

/** Login attempts are counted over this window. */
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * What a turn, a handshake or a transcript read must pass. Async, because a
 * limiter shared by several processes (Redis) answers over the network; the
 * in-memory one answers at once.
 */
export interface RateLimiter {
  /** Takes a token for `key` from the `bucket` kind of limit; false when it is used up. */
  take(bucket: RateBucket, key: string): Promise<boolean>;
  /** Forgets state no longer needed (the sweeper calls it). */
  prune(): void;
}

export interface RateLimits {
  enabled: boolean;
  perSession: number;
  perIp: number;
  /** Desk login attempts per account per 15 minutes (per address: five times as many); default 10. */
  loginPerAccount?: number;
  /** Milliseconds since the epoch; tests pass a clock they move. */
  now?: () => number;
}

const ALWAYS: Promise<boolean> = Promise.resolve(true);
const REFUSED: Promise<boolean> = Promise.resolve(false);

/** Token buckets in this process's memory: right for one process, and the insurance of a shared limiter. */
export function createRateLimiter(opts: RateLimits): RateLimiter {
  if (!opts.enabled) return { take: () => ALWAYS, prune: () => {} };
  const now = opts.now ?? Date.now;
  const login = opts.loginPerAccount ?? 10;
  const buckets: Record<RateBucket, TokenBuckets> = {
    session: new TokenBuckets(opts.perSession),
    ip: new TokenBuckets(opts.perIp),
    login_account: new TokenBuckets(login, LOGIN_WINDOW_MS),
    login_ip: new TokenBuckets(login * 5, LOGIN_WINDOW_MS),
  };
  return {
    take: (bucket, key) => (buckets[bucket].take(bucket === 'ip' || bucket === 'login_ip' ? ipBucketKey(key) : key, now()) ? ALWAYS : REFUSED),
    prune: () => {
      for (const b of Object.values(buckets)) b.prune(now());
    },
  };
}
