/**
 * The periodic chores: close sessions idle beyond the TTL, deliver follow-ups
 * that have come due, forget never-used sessions and refilled rate-limit
 * buckets, purge what is past its retention, and whatever else a part of
 * kefu registers (the desk's queue time-outs). One timer, ticks never
 * overlap, and a failing chore is logged and retried at the next tick.
 */
import type { Logger } from '../log.js';
import type { SessionStateJson } from '../bot.types.js';
import { maskStrings } from '../privacy/mask.js';
import type { DueFollowUp, SessionStore } from '../store/types.js';
import type { SessionCache } from './sessionCache.js';
import type { RateLimiter } from './rateLimit.js';

export interface SweeperOptions {
  store: SessionStore;
  limiter: RateLimiter;
  cache: SessionCache;
  logger: Logger;
  intervalMs: number;
  sessionTtlMs: number;
  /** Closed sessions older than this lose their transcripts and states (tickets, ratings and events stay). */
  retentionMs: number;
  /** Called for each follow-up once it is stored in the transcript and marked delivered. */
  deliver(f: DueFollowUp): void;
  /**
   * Whether this process runs the chores that must run once across a fleet
   * (a leader lock when several processes share the store); default: always.
   */
  isLeader?(): Promise<boolean>;
}

export type Chore = (now: Date) => Promise<void>;

export interface Sweeper {
  /** Runs one sweep now (tests, shutdown), as if at `now`. */
  sweep(now?: Date): Promise<void>;
  /** Adds a chore run at every sweep after the built-in ones. */
  add(name: string, chore: Chore): void;
  stop(): Promise<void>;
}

/** Purges run at most this often: they scan old rows. */
const PURGE_EVERY_MS = 3_600_000;

export function startSweeper(o: SweeperOptions): Sweeper {
  let running: Promise<void> | null = null;
  let lastPurge = 0;
  const chores: [string, Chore][] = [];

  const run = async (name: string, chore: () => Promise<void>) => {
    try {
      await chore();
    } catch (err) {
      o.logger.error({ err, chore: name }, 'sweep failed');
    }
  };

  const sweepOnce = async (now: Date) => {
    // In this process only: sessions it opened and never used, and its own limiter buckets.
    o.cache.expirePending(now.getTime() - o.sessionTtlMs);
    o.limiter.prune();
    if (o.isLeader && !(await o.isLeader())) return;
    await run('close idle sessions', async () => {
      // A closed session's state keeps no personal numbers: only a follow-up's check-in reopens it, and that needs none.
      const closed = await o.store.closeIdleSessions(new Date(now.getTime() - o.sessionTtlMs), now, (state) => maskStrings(state) as SessionStateJson);
      for (const id of closed) o.cache.delete(id);
      if (closed.length > 0) o.logger.info({ count: closed.length }, 'idle sessions closed');
    });
    await run('deliver follow-ups', async () => {
      for (;;) {
        const due = await o.store.claimDueFollowUps(now);
        for (const f of due) {
          o.cache.delete(f.sessionId); // reopened and changed: the next turn reads it again
          o.deliver(f);
          o.logger.info({ sessionId: f.sessionId, followUp: f.id }, 'follow-up delivered');
        }
        if (due.length < 100) break;
      }
    });
    if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now.getTime();
      await run('purge', async () => {
        const purged = await o.store.purgeClosedSessions(new Date(now.getTime() - o.retentionMs));
        if (purged > 0) o.logger.info({ count: purged }, 'closed sessions purged past their retention');
      });
    }
    for (const [name, chore] of chores) await run(name, () => chore(now));
  };

  const sweep = (now = new Date()): Promise<void> => {
    if (running) return running;
    running = sweepOnce(now).finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void sweep(), o.intervalMs);
  timer.unref();

  return {
    sweep,
    add: (name, chore) => void chores.push([name, chore]),
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
