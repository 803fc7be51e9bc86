/**
 * Rate limits shared by every process (rate-limiter-flexible on Redis): the
 * same limits as the in-memory token buckets, counted over fixed windows of
 * the same length. While Redis is away each process falls back to an
 * in-memory limiter of the same size (the insurance), so a blip neither
 * opens the gates nor refuses everyone.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ipBucketKey, LOGIN_WINDOW_MS, RATE_WINDOW_MS, type RateBucket, type RateLimiter, type RateLimits } from '../conversation/rateLimit.js';

export function createRedisRateLimiter(redis: Redis, opts: RateLimits): RateLimiter {
  if (!opts.enabled) return { take: async () => true, prune: () => {} };
  const login = opts.loginPerAccount ?? 10;
  const sizes: Record<RateBucket, [points: number, windowMs: number]> = {
    session: [opts.perSession, RATE_WINDOW_MS],
    ip: [opts.perIp, RATE_WINDOW_MS],
    login_account: [login, LOGIN_WINDOW_MS],
    login_ip: [login * 5, LOGIN_WINDOW_MS],
  };
  const limiters = Object.fromEntries(
    Object.entries(sizes).map(([bucket, [points, windowMs]]) => {
      const duration = Math.ceil(windowMs / 1000);
      return [
        bucket,
        new RateLimiterRedis({
          storeClient: redis,
          useRedisPackage: false,
          keyPrefix: `kefu:rl:${bucket}`,
          points,
          duration,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: `kefu:rl:${bucket}`, points, duration }),
        }),
      ];
    }),
  ) as Record<RateBucket, RateLimiterRedis>;
  return {
    async take(bucket, key) {
      const k = bucket === 'ip' || bucket === 'login_ip' ? ipBucketKey(key) : key;
      try {
        await limiters[bucket].consume(k);
        return true;
      } catch (e) {
        if (e instanceof RateLimiterRes) return false;
        throw e;
      }
    },
    prune: () => {},
  };
}
