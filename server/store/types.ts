/**
 * The seam between kefu and its storage. Three implementations keep the same
 * contract (test/server/store.test.ts runs one suite against each): memory
 * (tests, the reference), SQLite (the embedded default) and PostgreSQL
 * (several processes). Every method is async, as a networked store needs.
 *
 * Everything that changes a conversation goes through one primitive,
 * `commit`: a user message, the replies, an agent's message, a mode change
 * (bot → queued → agent → bot), the bot's new state, the effects (tickets,
 * ratings, follow-ups, hand-overs, call-backs, notes, audit lines) and the
 * analytics events, all in one transaction, durable once the promise
 * resolves. Texts handed to a store are already masked; states are stored as
 * given; only a call-back keeps the user's full number (the agent must dial it).
 */
import type { Effect, SessionStateJson, TicketKind, TicketStatus } from '../bot.types.js';

export type { TicketKind } from '../bot.types.js';
import type { AnalyticsEvent } from '../analytics/events.js';
import type { BotMessage, MessageRole, ProtocolError, TranscriptEntry } from '../protocol.js';
import { ProtocolFailure } from '../core/errors.js';

export type SessionStatus = 'open' | 'closed';

/** Who answers the user: the bot, nobody yet (waiting for an agent), or an agent. */
export type SessionMode = 'bot' | 'queued' | 'agent';
export const SESSION_MODES: readonly SessionMode[] = ['bot', 'queued', 'agent'];

export interface SessionRecord {
  id: string;
  status: SessionStatus;
  mode: SessionMode;
  /** The agent (login) who owns the conversation while `mode` is `agent`. */
  assignee: string | null;
  /** Since when the session waits for an agent (set on entering `queued`, kept through `agent`). */
  queuedAt: string | null;
  state: SessionStateJson;
  /** The agent whose service the user is asked to rate next (set when an agent closes; the next rating is theirs). */
  ratingFor: string | null;
  /** The conversation's language as last committed. */
  lang: 'zh' | 'en';
  /**
   * Bumped by exactly 1 by every commit and by closing the session: a
   * process that caches the session commits against the version it read
   * (`Commit.baseVersion`) and learns when someone else got there first.
   */
  version: number;
  createdAt: string;
  lastActiveAt: string;
  closedAt: string | null;
}

/** What the desk changes besides messages and the mode, in the same transaction. */
export type DeskEffect =
  /** An agent took the conversation (from the queue, or by transfer). */
  | { type: 'handoff_assigned'; agent: string }
  /** The agent ended it; the user is asked to rate that agent's service next. */
  | { type: 'handoff_closed'; agent: string; resolution: 'resolved' | 'unresolved' }
  /** Back in the queue at its old place (the agent's desk went away, or the agent put it back). */
  | { type: 'handoff_requeued' }
  /** Nobody will come: the user stopped waiting, or it turned into a call-back. */
  | { type: 'handoff_cancelled'; status: 'cancelled' | 'callback' }
  /** An internal note: agents only, never the user. */
  | { type: 'note'; agent: string; text: string };

export type StoreEffect = Effect | DeskEffect;

/** A message after the user's in one commit: the bot's, an agent's or the service's own. */
export interface OutgoingMessage {
  role: Exclude<MessageRole, 'user'>;
  message: BotMessage;
  /** The agent's login, for role `agent`. */
  agent?: string;
}

/** Everything one change of a conversation writes, atomically. */
export interface Commit {
  sessionId: string;
  now: Date;
  /** Creates the session in this same transaction: a session is stored with its first message, not at the handshake. */
  create?: { state: SessionStateJson; lang: 'zh' | 'en'; welcome: BotMessage[] };
  /** Refused with StaleSessionError unless the stored version is still this one. */
  baseVersion?: number;
  /** Refused with ModeConflictError unless the session is in one of these modes (and, when given, owned by this agent). */
  expect?: { modes: readonly SessionMode[]; assignee?: string | null };
  /** The bot's new state. */
  state?: SessionStateJson;
  lang?: 'zh' | 'en';
  mode?: { mode: SessionMode; assignee: string | null };
  /** The user's message; its replies are `messages`. A reused `clientMessageId` → DuplicateTurnError. */
  user?: { text: string; clientMessageId?: string };
  messages?: OutgoingMessage[];
  effects?: StoreEffect[];
  /** Solutions the bot gave in this turn (already masked), appended to their tickets' `tried`. */
  tried?: { ticketId: string; summary: string }[];
  events?: AnalyticsEvent[];
  /** Whether this counts as activity (default: true). A closed session that is active again reopens. */
  active?: boolean;
}

export interface TicketRecord {
  id: string;
  sessionId: string;
  intent: string;
  kind: TicketKind;
  status: TicketStatus;
  /** The problem, in the user's words. */
  summary: string;
  /** What the user was asked to try, oldest first: one line per solution the bot gave. */
  tried: string[];
  /** Every status change and note, oldest first; `by` is who (an agent's login, or `bot`). */
  notes: { at: string; status: TicketStatus; note: string; by: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface RatingRecord {
  sessionId: string;
  ticketId: string | null;
  score: number;
  /** The agent who served the conversation rated, or null when the bot alone did. */
  agent: string | null;
  at: string;
}

export interface DueFollowUp {
  id: number;
  sessionId: string;
  ticketId: string | null;
  message: BotMessage;
}

export type HandoffStatus = 'waiting' | 'assigned' | 'closed' | 'cancelled' | 'callback';

/** One request for a person, from the bot's hand-over to its end. */
export interface HandoffRecord {
  id: number;
  sessionId: string;
  ticketId: string | null;
  intent: string | null;
  reason: string;
  status: HandoffStatus;
  agent: string | null;
  requestedAt: string;
  assignedAt: string | null;
  closedAt: string | null;
  resolution: 'resolved' | 'unresolved' | null;
}

export type CallbackStatus = 'pending' | 'done' | 'failed' | 'cancelled';

export interface CallbackRecord {
  id: number;
  sessionId: string;
  ticketId: string;
  /** The user's number in full: shown only to agents, who call it. */
  phone: string;
  preferredTime: string;
  reason: string;
  status: CallbackStatus;
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
}

export interface NoteRecord {
  id: number;
  sessionId: string;
  agent: string;
  text: string;
  at: string;
}

export interface AgentRecord {
  login: string;
  name: string;
  role: 'agent' | 'admin';
  /** scrypt hash with its parameters and salt; never leaves the server. */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface DeskLogin {
  /** A hash of the cookie's token (the token itself is never stored). */
  tokenHash: string;
  login: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  agent: string;
  action: string;
  sessionId: string | null;
  ticketId: string | null;
  detail: string;
}

export type StoredEvent = AnalyticsEvent & { id: number };

export interface TicketQuery {
  status?: TicketStatus;
  kind?: TicketKind;
  intent?: string;
  /** A ticket id, or a part of one. */
  id?: string;
  /** Created on or after / before (ISO). */
  from?: string;
  to?: string;
  limit?: number;
}

export interface SessionStore {
  getSession(id: string): Promise<SessionRecord | null>;
  /** Marks the session active now (a reconnect), without a change. */
  touchSession(id: string, now: Date): Promise<void>;
  /** The replies stored for an earlier user message with this client id, or null. */
  findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null>;
  /**
   * Applies `c` atomically; resolves with the session's new version. Throws
   * DuplicateTurnError (reused client id), StaleSessionError (`baseVersion`),
   * ModeConflictError (`expect`), UnknownSessionError (no such session, and no `create`).
   */
  commit(c: Commit): Promise<{ version: number }>;
  transcript(sessionId: string): Promise<TranscriptEntry[]>;
  tickets(sessionId: string): Promise<TicketRecord[]>;
  ticket(id: string): Promise<TicketRecord | null>;
  findTickets(q: TicketQuery): Promise<TicketRecord[]>;
  ratings(sessionId: string): Promise<RatingRecord[]>;
  /**
   * Reserves `count` ticket numbers of `day` (YYYY-MM-DD, China time) in the
   * shared counter: `first`…`first + count - 1` are this caller's alone. The
   * reservation is committed (and its commit checked) before it resolves; a
   * failed one rejects, and the counter never moves backwards.
   */
  reserveTicketNumbers(day: string, count: number): Promise<{ first: number }>;
  /**
   * Closes sessions the bot owns that have been idle since before `cutoff`
   * (bumping their version); returns their ids. Sessions waiting for or
   * served by an agent are not idle. `redact` rewrites each closed session's
   * state (an open session's state may hold what the user typed).
   */
  closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]>;
  /**
   * Follow-ups due at `now`, each appended to its session's transcript and
   * marked delivered in the same step, so that two sweepers never send one
   * twice; the session counts as active from then on (a closed one reopens).
   */
  claimDueFollowUps(now: Date, limit?: number): Promise<DueFollowUp[]>;
  /** Deletes the transcripts and states of sessions closed before `before`; tickets, ratings and events stay. Returns how many. */
  purgeClosedSessions(before: Date): Promise<number>;

  /* ------------------------------------------------ the desk */
  /** Sessions waiting for an agent, longest waiting first, with their open hand-over. */
  queue(): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]>;
  /** Sessions an agent owns now, with their hand-over. */
  assigned(agent?: string): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]>;
  /** The open (waiting or assigned) hand-over of a session, else its latest. */
  handoff(sessionId: string): Promise<HandoffRecord | null>;
  notes(sessionId: string): Promise<NoteRecord[]>;
  callbacks(status?: CallbackStatus): Promise<CallbackRecord[]>;
  /** Sets a call-back's outcome; false when it is not pending any more. */
  finishCallback(id: number, status: Exclude<CallbackStatus, 'pending'>, by: string, now: Date, note: string): Promise<boolean>;

  putAgent(a: AgentRecord): Promise<void>;
  getAgent(login: string): Promise<AgentRecord | null>;
  listAgents(): Promise<AgentRecord[]>;

  createDeskLogin(l: DeskLogin): Promise<void>;
  getDeskLogin(tokenHash: string): Promise<DeskLogin | null>;
  deleteDeskLogin(tokenHash: string): Promise<void>;
  /** Logins of this agent (all of them: a password change or a disabled account ends every session). */
  deleteDeskLoginsOf(login: string): Promise<void>;

  audit(entry: Omit<AuditRecord, 'id'>): Promise<void>;
  auditLog(q: { sessionId?: string; agent?: string; limit?: number }): Promise<AuditRecord[]>;

  /** Analytics events with `at` in [from, to), oldest first. */
  events(from: Date, to: Date): Promise<StoredEvent[]>;

  /** Whether the store can serve turns right now (a failing disk, a lost connection → false). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** A user message reused a client message id the session already used. */
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

/** A commit was based on a session version that is no longer current: recompute from the stored session. */
export class StaleSessionError extends Error {
  constructor(
    readonly sessionId: string,
    readonly baseVersion: number,
  ) {
    super(`session ${sessionId} changed since version ${baseVersion}`);
    this.name = 'StaleSessionError';
  }
}

/**
 * The store cannot serve now (a full or failing disk, a vanished file, a lost database connection): try again later.
 * Clients are told UNAVAILABLE (503), without the details, which are for the operator's log.
 */
export class StoreUnavailableError extends ProtocolFailure {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super('UNAVAILABLE', message);
    this.name = 'StoreUnavailableError';
  }

  override toWire(): ProtocolError {
    return { code: 'UNAVAILABLE', message: 'the service cannot store messages right now; try again shortly' };
  }
}

/** A commit expected another mode or owner (two agents claimed one conversation: one wins, one gets this). */
export class ModeConflictError extends Error {
  constructor(
    readonly sessionId: string,
    readonly mode: SessionMode,
    readonly assignee: string | null,
  ) {
    super(`session ${sessionId} is ${mode}${assignee ? ` (${assignee})` : ''}`);
    this.name = 'ModeConflictError';
  }
}
