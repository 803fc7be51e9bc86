/**
 * Agent presence in Redis, so that every process sees every desk: one hash
 * of heartbeats (login → state and time) and one of when each agent was last
 * heard from. Entries older than the TTL are filtered out on read.
 */
import type { Redis } from 'ioredis';
import type { AgentPresence, PresenceEntry } from '../desk/presence.js';

const BEATS = 'kefu:presence';
const SEEN = 'kefu:presence:seen';

export class RedisPresence implements AgentPresence {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  async beat(login: string, state: PresenceEntry['state'], now: number): Promise<void> {
    await this.redis.multi().hset(BEATS, login, JSON.stringify({ state, lastBeat: now })).hset(SEEN, login, String(now)).exec();
  }

  async leave(login: string): Promise<void> {
    await this.redis.hdel(BEATS, login);
  }

  async present(now: number): Promise<PresenceEntry[]> {
    const all = await this.redis.hgetall(BEATS);
    const out: PresenceEntry[] = [];
    for (const [login, raw] of Object.entries(all)) {
      const e = JSON.parse(raw) as Omit<PresenceEntry, 'login'>;
      if (now - e.lastBeat <= this.ttlMs) out.push({ login, state: e.state, lastBeat: e.lastBeat });
    }
    return out.sort((a, b) => (a.login < b.login ? -1 : 1));
  }

  async lastSeen(login: string): Promise<number | null> {
    const v = await this.redis.hget(SEEN, login);
    return v === null ? null : Number(v);
  }
}
