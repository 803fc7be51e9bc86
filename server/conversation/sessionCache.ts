/**
 * Sessions this process serves, kept in memory between turns as the bot's
 * restored state plus what the store last committed (version, mode, owner),
 * so a turn reads nothing from the store. The store stays the truth: a
 * commit carries the cached version and is refused when the session changed
 * meanwhile (another process, the sweeper, an agent), and the turn is then
 * recomputed from the stored session.
 *
 * A session that has been opened but has not said anything yet is kept here
 * only (`pending`), with its welcome: it is stored with its first message.
 */
import type { BotMessage } from '../protocol.js';
import type { SessionMode } from '../store/types.js';

export interface CachedSession {
  /** The bot's state (already restored). Never mutated: the bot copies it. */
  state: unknown;
  version: number;
  mode: SessionMode;
  assignee: string | null;
  lang: 'zh' | 'en';
  /** The agent whose service the next rating is for. */
  ratingFor: string | null;
  /** Not stored yet: created with its first message. */
  pending?: { welcome: BotMessage[]; createdAt: number };
}

/** A least-recently-used map of sessions, at most `size` of them. */
export class SessionCache {
  private readonly map = new Map<string, CachedSession>();

  constructor(private readonly size = 20_000) {}

  get(id: string): CachedSession | undefined {
    return this.map.get(id);
  }

  /** Caches `s` as the most recently used, evicting the least recently used beyond the size. */
  set(id: string, s: CachedSession): void {
    this.map.delete(id);
    this.map.set(id, s);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }

  delete(id: string): void {
    this.map.delete(id);
  }

  /** Drops sessions never used that were opened before `before` (ms since the epoch); returns how many. */
  expirePending(before: number): number {
    let n = 0;
    for (const [id, s] of this.map) if (s.pending && s.pending.createdAt < before && this.map.delete(id)) n++;
    return n;
  }
}
