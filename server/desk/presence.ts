/**
 * Which agents are at their desks: each open desk sends a heartbeat; an agent
 * not heard from within the TTL is offline, whatever their last status said
 * ("an agent whose desk is gone is offered nothing"). An agent may also set
 * themselves away: they keep their conversations and get no new ones.
 *
 * The memory implementation serves one process; several processes share a
 * Redis-backed one with the same interface.
 */
import type { PresenceState } from '../protocol.js';

export interface PresenceEntry {
  login: string;
  state: Exclude<PresenceState, 'offline'>;
  /** ms since the epoch of the last heartbeat. */
  lastBeat: number;
}

export interface AgentPresence {
  /** A heartbeat from `login`'s desk, with the state the agent chose. */
  beat(login: string, state: PresenceEntry['state'], now: number): Promise<void>;
  /** The desk went away (its last socket closed). */
  leave(login: string): Promise<void>;
  /** Agents heard from within the TTL. */
  present(now: number): Promise<PresenceEntry[]>;
  /** When `login` was last heard from (ms), or null — also after they left. */
  lastSeen(login: string): Promise<number | null>;
}

export class MemoryPresence implements AgentPresence {
  private readonly entries = new Map<string, PresenceEntry>();
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  async beat(login: string, state: PresenceEntry['state'], now: number): Promise<void> {
    this.entries.set(login, { login, state, lastBeat: now });
    this.seen.set(login, now);
  }

  async leave(login: string): Promise<void> {
    this.entries.delete(login);
  }

  async present(now: number): Promise<PresenceEntry[]> {
    return [...this.entries.values()].filter((e) => now - e.lastBeat <= this.ttlMs);
  }

  async lastSeen(login: string): Promise<number | null> {
    return this.seen.get(login) ?? null;
  }
}
