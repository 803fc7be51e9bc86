/**
 * The seam between conversations and storage. SQLite is the default, memory
 * is for tests and `:memory:`-style throwaway runs, and a Redis store can
 * follow by implementing the same interface (all methods but
 * `nextTicketId` are async for that reason).
 *
 * Texts handed to a store are already masked; states are stored as given.
 */
import type { Effect, SessionStateJson, TicketStatus } from '../bot.types.js';
import type { BotMessage, TranscriptEntry } from '../protocol.js';

export type SessionStatus = 'open' | 'closed';

export interface SessionRecord {
  id: string;
  status: SessionStatus;
  state: SessionStateJson;
  /**
   * Bumped by exactly 1 by every commitTurn and by closing the session: a
   * process that caches the session can commit against the version it read
   * (`TurnCommit.baseVersion`) and learn when another process got there first.
   */
  version: number;
  createdAt: string;
  lastActiveAt: string;
  closedAt: string | null;
}

export interface NewSession {
  id: string;
  state: SessionStateJson;
  now: Date;
  /** The opening messages, stored as the first transcript entries. */
  welcome: BotMessage[];
}

/** Everything one user turn changes, committed atomically. */
export interface TurnCommit {
  sessionId: string;
  now: Date;
  state: SessionStateJson;
  userText: string;
  /** Makes the turn idempotent: a second commit with the same id for the session is refused. */
  clientMessageId?: string;
  replies: BotMessage[];
  effects: Effect[];
  /** Solutions the bot gave in this turn (already masked), appended to their tickets' `tried`. */
  tried?: { ticketId: string; summary: string }[];
  /**
   * The session version the turn was computed from. When set, the commit is
   * refused with StaleSessionError unless the stored version is still this
   * one (another process, or the sweeper, changed the session meanwhile);
   * on success the version becomes `baseVersion + 1`.
   */
  baseVersion?: number;
}

export interface TicketRecord {
  id: string;
  sessionId: string;
  intent: string;
  status: TicketStatus;
  /** The problem, in the user's words. */
  summary: string;
  /** What the user was asked to try, oldest first: one line per solution the bot gave. */
  tried: string[];
  /** Notes of every status change, oldest first. */
  notes: { at: string; status: TicketStatus; note: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface RatingRecord {
  sessionId: string;
  ticketId: string | null;
  score: number;
  at: string;
}

export interface DueFollowUp {
  id: number;
  sessionId: string;
  message: BotMessage;
}

export interface SessionStore {
  createSession(s: NewSession): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Marks the session active now (a reconnect), without a turn. */
  touchSession(id: string, now: Date): Promise<void>;
  /** The replies stored for an earlier turn with this client message id, or null. */
  findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null>;
  /**
   * Stores message, replies, state and effects together: all or nothing, and
   * durable once the promise resolves. Throws DuplicateTurnError on a reused
   * client id, StaleSessionError when `baseVersion` is no longer current,
   * UnknownSessionError for a session it does not hold.
   */
  commitTurn(turn: TurnCommit): Promise<void>;
  transcript(sessionId: string): Promise<TranscriptEntry[]>;
  tickets(sessionId: string): Promise<TicketRecord[]>;
  ratings(sessionId: string): Promise<RatingRecord[]>;
  /**
   * Next ticket id for `now`'s day (China Standard Time), unique across every
   * process sharing the store. Synchronous because the dialog engine calls it
   * mid-turn, so a shared store leases blocks of numbers ahead of time: ids
   * are unique, but numbers may be skipped (a crash loses the rest of a block)
   * and processes sharing one store interleave by block.
   */
  nextTicketId(now: Date): string;
  /**
   * Closes open sessions idle since before `cutoff` (bumping their version);
   * returns their ids. `redact`, when given, rewrites each closed session's
   * state: an open session's state may hold what the user typed, as the
   * dialog needs it; a closed one is only reopened for a follow-up's
   * check-in, which needs none of it.
   */
  closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]>;
  /**
   * Follow-ups due at `now`, each appended to its session's transcript and
   * marked delivered in the same step, so that two sweepers never send one twice.
   * The session counts as active from then on (a closed one is reopened),
   * so that the user can answer the check-in.
   */
  claimDueFollowUps(now: Date, limit?: number): Promise<DueFollowUp[]>;
  close(): Promise<void>;
}

/** commitTurn was given a client message id the session already used. */
export class DuplicateTurnError extends Error {
  constructor(
    readonly sessionId: string,
    readonly clientMessageId: string,
  ) {
    super(`turn ${clientMessageId} of session ${sessionId} is already stored`);
    this.name = 'DuplicateTurnError';
  }
}

/** A store was asked about a session it does not hold. */
export class UnknownSessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`unknown session ${sessionId}`);
    this.name = 'UnknownSessionError';
  }
}

/** commitTurn was based on a session version that is no longer current: recompute the turn from the stored session. */
export class StaleSessionError extends Error {
  constructor(
    readonly sessionId: string,
    readonly baseVersion: number,
  ) {
    super(`session ${sessionId} changed since version ${baseVersion}`);
    this.name = 'StaleSessionError';
  }
}
