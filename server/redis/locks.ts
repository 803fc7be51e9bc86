/**
 * Locks across the fleet, in Redis.
 *
 * SessionLock: one piece of work per session at a time on every process, so
 * that two tabs on two processes never start a turn from the same state. In
 * a process the work still queues per session (SessionQueue); across
 * processes it takes `kefu:lock:<session>` (SET NX PX, released only by its
 * holder). If Redis is away, or the lock is not had within `waitMs`, the work
 * runs anyway: the store's version check (StaleSessionError → recompute) still
 * keeps two turns from both committing on one state.
 *
 * Leader: the process holding `kefu:leader` runs the timers (idle sessions,
 * follow-ups, queue time-outs, call-back reminders); it renews the lock each
 * sweep; when it dies, another takes over after the TTL. Redis away: nobody
 * leads until it is back (timers wait; none fires twice).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SessionLock } from '../conversation/ports.js';
import { SessionQueue } from '../conversation/sessionQueue.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisSessionLock implements SessionLock {
  private readonly local = new SessionQueue();

  constructor(
    private readonly redis: Redis,
    private readonly o: { ttlMs?: number; waitMs?: number } = {},
  ) {}

  run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(sessionId, async () => {
      const key = `kefu:lock:${sessionId}`;
      const token = await this.acquire(key);
      try {
        return await work();
      } finally {
        if (token) await this.redis.eval(RELEASE, 1, key, token).catch(() => {});
      }
    });
  }

  private async acquire(key: string): Promise<string | null> {
    const token = randomUUID();
    const until = Date.now() + (this.o.waitMs ?? 5000);
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      try {
        if ((await this.redis.set(key, token, 'PX', this.o.ttlMs ?? 15_000, 'NX')) === 'OK') return token;
      } catch {
        return null; // Redis away: the store's version check is the guard
      }
      if (Date.now() > until) return null;
      await sleep(delay);
    }
  }
}

export class RedisLeader {
  readonly id = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly key = 'kefu:leader',
  ) {}

  /** Whether this process leads now (taking or renewing the lock). */
  async isLeader(): Promise<boolean> {
    try {
      if ((await this.redis.set(this.key, this.id, 'PX', this.ttlMs, 'NX')) === 'OK') return true;
      return (await this.redis.eval(RENEW, 1, this.key, this.id, String(this.ttlMs))) === 1;
    } catch {
      return false;
    }
  }

  /** Gives the lead up (on shutdown), so that another process takes over at its next sweep. */
  async resign(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.id).catch(() => {});
  }
}
