/**
 * The conversation layer, assembled: sessions (open, load, history, status)
 * and turns (routed by who owns the conversation), sharing one cache, one
 * per-session lock, one ticket-number pool and one redaction policy.
 * Transports (socket, REST) call these and translate to and from their wire;
 * they never touch the store or the bot themselves.
 */
import type { Logger } from '../log.js';
import type { SessionStore } from '../store/types.js';
import { InFlight } from './inFlight.js';
import type { AnyBot, Availability, ConversationDeps, DeskHooks, SessionLock, UserChannel } from './ports.js';
import type { RateLimiter } from './rateLimit.js';
import { Redaction } from './redaction.js';
import { SessionCache } from './sessionCache.js';
import { SessionQueue } from './sessionQueue.js';
import { SessionService } from './sessionService.js';
import { TicketNumbers } from './ticketNumbers.js';
import { TurnService } from './turnService.js';

export type { AnyBot, Peer } from './ports.js';
export type { Locale, OpenedSession } from './sessionService.js';

export interface ConversationOptions {
  bot: AnyBot;
  store: SessionStore;
  limiter: RateLimiter;
  logger: Logger;
  users: UserChannel;
  desk?: DeskHooks;
  availability?: Availability;
  lock?: SessionLock;
  /** When set, every follow-up is due this long after its turn, whatever the bot asked. */
  followUpDelayMs?: number;
  /** Most sessions kept in memory between turns (least recently used go first); default 20,000. */
  cacheSize?: number;
  now?: () => Date;
}

/** Nobody at the desk: every hand-over is told so (and offered a call-back). */
export const NOBODY: Availability = { now: () => ({ available: false, why: 'no_agent' }), etaMinutes: () => 0 };
const NO_DESK: DeskHooks = { userMessage: () => {}, queueChanged: () => {}, userTyping: () => {} };

export interface Conversations {
  sessions: SessionService;
  turns: TurnService;
  inFlight: InFlight;
  deps: ConversationDeps;
}

export function createConversations(o: ConversationOptions): Conversations {
  const deps: ConversationDeps = {
    bot: o.bot,
    store: o.store,
    limiter: o.limiter,
    logger: o.logger,
    cache: new SessionCache(o.cacheSize),
    lock: o.lock ?? new SessionQueue(),
    numbers: new TicketNumbers(o.store),
    redaction: new Redaction(o.bot.publicNumbers, o.followUpDelayMs),
    users: o.users,
    desk: o.desk ?? NO_DESK,
    availability: o.availability ?? NOBODY,
    notices: null,
    now: o.now ?? (() => new Date()),
  };
  const sessions = new SessionService(deps);
  return { sessions, turns: new TurnService(deps, sessions), inFlight: new InFlight(), deps };
}
