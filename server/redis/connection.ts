/**
 * The Redis connection of a process (ioredis). It reconnects by itself, with
 * back-off, for as long as the process runs; commands issued while Redis is
 * away fail at once (no offline queue) so that callers fall back instead of
 * waiting: the rate limiter to its in-memory insurance, the session lock to
 * the process's own queue, the leader lock to "not the leader".
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export function connectRedis(url: string, logger: Logger, name: string, queueWhileAway = false): Redis {
  const redis = new Redis(url, {
    connectionName: `kefu-${name}`,
    // The adapter's connection queues instead (its packets wait for Redis and go out once it is back).
    enableOfflineQueue: queueWhileAway,
    maxRetriesPerRequest: queueWhileAway ? null : 1,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message, name }, 'Redis unreachable; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ name }, 'Redis reachable again');
    down = false;
  });
  return redis;
}

/** Resolves once `redis` is ready (or rejects after `timeoutMs`): a process starts only with Redis there. */
export function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', ok);
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const ok = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ok);
  });
}

export async function redisHealthy(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
