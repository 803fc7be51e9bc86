/**
 * Everything a process shares through Redis when REDIS_URL is set: the
 * Socket.IO adapter (Redis streams: a blip loses no packet, each process
 * reads on from where it was), shared rate limits, agent presence, the
 * per-session lock and the leader lock of the timers.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { RateLimiter, RateLimits } from '../conversation/rateLimit.js';
import { connectRedis, redisHealthy, redisReady } from './connection.js';
import { RedisLeader, RedisSessionLock } from './locks.js';
import { RedisPresence } from './presence.js';
import { createRedisRateLimiter } from './rateLimit.js';

export interface RedisShared {
  redis: Redis;
  adapter: ReturnType<typeof createAdapter>;
  limiter: RateLimiter;
  presence: RedisPresence;
  lock: RedisSessionLock;
  leader: RedisLeader;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectShared(url: string, o: { logger: Logger; limits: RateLimits; presenceTtlMs: number; sweepIntervalMs: number }): Promise<RedisShared> {
  const redis = connectRedis(url, o.logger, 'main');
  const sockets = connectRedis(url, o.logger, 'socket.io', true);
  try {
    await Promise.all([redisReady(redis), redisReady(sockets)]);
  } catch (e) {
    redis.disconnect();
    sockets.disconnect();
    throw e;
  }
  const leader = new RedisLeader(redis, Math.max(3 * o.sweepIntervalMs, 5000));
  return {
    redis,
    adapter: createAdapter(sockets, { streamName: 'kefu:socket.io' }),
    limiter: createRedisRateLimiter(redis, o.limits),
    presence: new RedisPresence(redis, o.presenceTtlMs),
    lock: new RedisSessionLock(redis),
    leader,
    healthy: () => redisHealthy(redis),
    async close() {
      await leader.resign();
      redis.disconnect();
      sockets.disconnect();
    },
  };
}
