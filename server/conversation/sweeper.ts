/**
 * The periodic chores: close sessions idle beyond the TTL, deliver follow-ups
 * that have come due, forget refilled rate-limit buckets. One timer, ticks
 * never overlap, and a failing tick is logged and retried at the next one.
 */
import type { Logger } from '../log.js';
import type { SessionStateJson } from '../bot.types.js';
import type { DueFollowUp, SessionStore } from '../store/types.js';
import { maskStrings } from '../privacy/mask.js';
import type { RateLimiter } from './rateLimit.js';

export interface SweeperOptions {
  store: SessionStore;
  limiter: RateLimiter;
  logger: Logger;
  intervalMs: number;
  sessionTtlMs: number;
  /** Called for each follow-up once it is stored in the transcript and marked delivered. */
  deliver(f: DueFollowUp): void;
  /** Called with the ids of the sessions a sweep closed (to drop them from caches). */
  onClosed?(sessionIds: string[]): void;
}

export interface Sweeper {
  /** Runs one sweep now (tests, shutdown). */
  sweep(now?: Date): Promise<void>;
  stop(): Promise<void>;
}

export function startSweeper(o: SweeperOptions): Sweeper {
  let running: Promise<void> | null = null;

  const sweepOnce = async (now: Date) => {
    // A closed session's state keeps no personal numbers: only a follow-up's check-in reopens it, and that needs none.
    const closed = await o.store.closeIdleSessions(new Date(now.getTime() - o.sessionTtlMs), now, (state) => maskStrings(state) as SessionStateJson);
    if (closed.length > 0) {
      o.onClosed?.(closed);
      o.logger.info({ count: closed.length }, 'idle sessions closed');
    }
    for (;;) {
      const due = await o.store.claimDueFollowUps(now);
      for (const f of due) {
        o.deliver(f);
        o.logger.info({ sessionId: f.sessionId, followUp: f.id }, 'follow-up delivered');
      }
      if (due.length < 100) break;
    }
    o.limiter.prune();
  };

  const sweep = (now = new Date()): Promise<void> => {
    if (running) return running;
    running = sweepOnce(now)
      .catch((err: unknown) => o.logger.error({ err }, 'sweep failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => void sweep(), o.intervalMs);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
