/**
 * What the conversation services need from the outside, as interfaces: the
 * store (store/types.ts), the rate limiter (rateLimit.ts), and these — the
 * way out to connected clients, the per-session lock, the clock. Each has an
 * in-process implementation; a deployment of several processes swaps in
 * Redis-backed ones without the services noticing.
 */
import type { Bot, HumanAvailability } from '../bot.types.js';

export type { HumanAvailability } from '../bot.types.js';
import type { Logger } from '../log.js';
import type { BotMessage, ServerToClientEvents } from '../protocol.js';
import type { SessionStore } from '../store/types.js';
import type { RateLimiter } from './rateLimit.js';
import type { Redaction } from './redaction.js';
import type { SessionCache } from './sessionCache.js';
import type { TicketNumbers } from './ticketNumbers.js';

/** Any bot: the services treat its state as opaque JSON. */
export type AnyBot = Bot<unknown>;

/** Pushes to a user's open tabs, wherever (on whichever process) they are connected. */
export interface UserChannel {
  toSession<E extends keyof ServerToClientEvents>(sessionId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
}

/** Runs work for one session at a time (in this process; across the fleet with a shared lock). */
export interface SessionLock {
  run<T>(sessionId: string, work: () => Promise<T>): Promise<T>;
}

/** What happens in conversations that people at the desk must see at once. */
export interface DeskHooks {
  /** The user wrote while waiting for or talking to an agent. */
  userMessage(sessionId: string, assignee: string | null, text: string, at: string): void;
  /** The queue changed (a conversation joined or left it). */
  queueChanged(): void;
  /** The user is (or stopped) typing in a conversation an agent owns. */
  userTyping(sessionId: string, assignee: string, typing: boolean): void;
}

/** Whether a person can take a conversation now, and if not, why. */
export interface Availability {
  now(at: Date): HumanAvailability;
  /** A rough wait for the `position`-th in the queue, in minutes. */
  etaMinutes(position: number): number;
}


/** Notices that operators publish (an outage in an area): the bot gives the matching one first. */
export interface NoticeBoard {
  /**
   * The notice this turn should start with, or null: called after the bot
   * has understood the message, with what it knows. Each notice is given to
   * a session once.
   */
  noticeFor(q: { sessionId: string; intent: string | null; slots: Record<string, string>; text: string; lang: 'zh' | 'en'; now: Date }): Promise<{ id: string; message: BotMessage } | null>;
}

/** What a turn tells the operations metrics (server/metrics.ts). */
export interface TurnObserver {
  turn(t: { intent: string | null; outcome: 'understood' | 'not_understood' | 'handover' | 'relayed'; seconds: number }): void;
}

export interface ConversationDeps {
  bot: AnyBot;
  store: SessionStore;
  limiter: RateLimiter;
  logger: Logger;
  cache: SessionCache;
  lock: SessionLock;
  numbers: TicketNumbers;
  redaction: Redaction;
  users: UserChannel;
  desk: DeskHooks;
  availability: Availability;
  notices: NoticeBoard | null;
  metrics?: TurnObserver;
  now(): Date;
}

/** Who is on the other end, for rate limiting and reports. */
export interface Peer {
  ip: string;
  channel: 'socket' | 'rest';
}
