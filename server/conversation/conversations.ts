/**
 * What both channels (socket and REST) do with a conversation, in one place:
 * open or resume a session, run a turn (rate limit → validate → load → bot →
 * commit → reply), read a transcript. Transports only translate to and from
 * their wire; they never touch the store or the bot themselves.
 *
 * Turns of one session run one at a time (a per-session queue): two tabs
 * sending at once must not both start from the same saved state.
 *
 * Active sessions are cached here, as the bot's own state object and the
 * store version it was committed as, so a turn reads nothing from the store:
 * the commit carries that version and the store refuses it if the session
 * changed meanwhile (another process, the idle sweeper), in which case the
 * turn is recomputed from the stored session. The store stays the truth.
 */
import { randomUUID } from 'node:crypto';
import type { Bot, Effect, SessionStateJson, TurnContext } from '../bot.types.js';
import type { Logger } from '../log.js';
import type { BotMessage, HandshakeAuth, TranscriptEntry, UserMessage } from '../protocol.js';
import type { Lang } from '../nlu/types.js';
import { DuplicateTurnError, StaleSessionError, type SessionStatus, type SessionStore } from '../store/types.js';
import { ProtocolFailure } from '../core/errors.js';
import { maskSensitive } from '../privacy/mask.js';
import type { RateLimiter } from './rateLimit.js';
import { isSessionIdShaped, newSessionId, parseRestMessage, parseUserMessage } from './validate.js';

/** Any bot: front ends treat its state as opaque JSON. */
export type AnyBot = Bot<unknown>;

export type Locale = NonNullable<HandshakeAuth['locale']>;

export interface ConversationsDeps {
  bot: AnyBot;
  store: SessionStore;
  limiter: RateLimiter;
  logger: Logger;
  /** When set, every follow-up is due this long after its turn, whatever the bot asked. */
  followUpDelayMs?: number;
  /** Most sessions kept in memory between turns (least recently used go first); default 20,000. */
  cacheSize?: number;
}

/** An open session as of its last commit by this process. */
interface ActiveSession {
  /** The bot's state (already restored: what `bot.handle` returned). Never mutated: the bot copies it. */
  state: unknown;
  version: number;
}

export interface OpenedSession {
  sessionId: string;
  /** True for a new session; then `welcome` holds its opening messages (already stored). */
  created: boolean;
  welcome: BotMessage[];
}

/** Who is on the other end, for rate limiting. */
export interface Peer {
  ip: string;
}

const LANG_OF: Record<Locale, Lang> = { 'zh-CN': 'zh', en: 'en' };

function maskMessage(m: BotMessage): BotMessage {
  const text = maskSensitive(m.text);
  return text === m.text ? m : { ...m, text };
}

/** Longest summary of one solution the bot gave, kept on its ticket. */
const TRIED_SUMMARY_LENGTH = 120;

/**
 * What the user was asked to try in this turn, for the tickets: each
 * `solve` reply that belongs to a ticket, as one line (its lead-in and the
 * start of its steps), so whoever takes the ticket over sees at a glance
 * what has been done without reading the transcript.
 */
function triedSteps(replies: readonly BotMessage[]): { ticketId: string; summary: string }[] {
  const tried: { ticketId: string; summary: string }[] = [];
  for (const m of replies) {
    if (m.step !== 'solve' || !m.ticketId) continue;
    const line = m.text.replace(/\s*\n\s*/g, ' ').trim();
    const chars = [...line];
    const summary = chars.length > TRIED_SUMMARY_LENGTH ? `${chars.slice(0, TRIED_SUMMARY_LENGTH - 1).join('')}…` : line;
    tried.push({ ticketId: m.ticketId, summary });
  }
  return tried;
}

export class Conversations {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly active = new Map<string, ActiveSession>();
  private readonly cacheSize: number;
  private accepting = true;
  private readonly ctx: TurnContext;

  constructor(private readonly deps: ConversationsDeps) {
    this.cacheSize = deps.cacheSize ?? 20_000;
    this.ctx = {
      nextTicketId: (now) => deps.store.nextTicketId(now),
      newMessageId: () => randomUUID(),
    };
  }

  /**
   * Resumes `offeredId` when it names an open session; otherwise opens a new
   * one. Every handshake costs its address a token, a resumed one too: each
   * reads and writes the store, and a client must not open connections
   * without limit by offering one valid id again and again.
   */
  open(opts: { offeredId?: unknown; locale?: Locale; peer: Peer }): Promise<OpenedSession> {
    return this.track(async () => {
      if (!this.deps.limiter.allowIp(opts.peer.ip)) throw new ProtocolFailure('RATE_LIMITED', 'too many connections from this address');
      if (isSessionIdShaped(opts.offeredId)) {
        const known = await this.deps.store.getSession(opts.offeredId);
        if (known?.status === 'open') {
          await this.deps.store.touchSession(known.id, new Date());
          return { sessionId: known.id, created: false, welcome: [] };
        }
      }
      return this.create(opts.locale);
    });
  }

  /** A socket `user_message` for the socket's session. */
  socketTurn(sessionId: string, raw: unknown, peer: Peer): Promise<BotMessage[]> {
    return this.track(async () => {
      if (!this.deps.limiter.allowSession(sessionId) || !this.deps.limiter.allowIp(peer.ip)) {
        throw new ProtocolFailure('RATE_LIMITED', 'too many messages; wait a few seconds');
      }
      return this.turn(sessionId, parseUserMessage(raw));
    });
  }

  /** A `POST /api/messages` body: continues `sessionId`, or starts a session when there is none. */
  restTurn(raw: unknown, peer: Peer): Promise<{ sessionId: string; replies: BotMessage[] }> {
    return this.track(async () => {
      if (!this.deps.limiter.allowIp(peer.ip)) throw new ProtocolFailure('RATE_LIMITED', 'too many requests from this address');
      const msg = parseRestMessage(raw);
      let sessionId: string;
      if (msg.sessionId === undefined) {
        sessionId = (await this.create(msg.locale)).sessionId;
      } else {
        if (!isSessionIdShaped(msg.sessionId)) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
        sessionId = msg.sessionId;
        if (!this.deps.limiter.allowSession(sessionId)) throw new ProtocolFailure('RATE_LIMITED', 'too many messages; wait a few seconds');
      }
      return { sessionId, replies: await this.turn(sessionId, msg) };
    });
  }

  /** The session's transcript, oldest first; a read costs the address a token (a long transcript is work). */
  async history(sessionId: unknown, peer: Peer): Promise<{ sessionId: string; status: SessionStatus; entries: TranscriptEntry[] }> {
    if (!this.deps.limiter.allowIp(peer.ip)) throw new ProtocolFailure('RATE_LIMITED', 'too many requests from this address');
    if (!isSessionIdShaped(sessionId)) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    const session = await this.deps.store.getSession(sessionId);
    if (!session) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    return { sessionId, status: session.status, entries: await this.deps.store.transcript(sessionId) };
  }

  /** Drops sessions from the cache (closed by the sweeper); a later turn would reload them anyway. */
  forget(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.active.delete(id);
  }

  /** Refuses new work and waits (at most `timeoutMs`) for turns already running. */
  async drain(timeoutMs: number): Promise<void> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  private async create(locale: Locale | undefined): Promise<OpenedSession> {
    const { bot, store } = this.deps;
    const state = bot.newSession(locale ? { lang: LANG_OF[locale] } : undefined);
    const welcome = bot.welcome(state, this.ctx).map(maskMessage);
    const sessionId = newSessionId();
    await store.createSession({ id: sessionId, state: state as SessionStateJson, now: new Date(), welcome });
    this.remember(sessionId, { state, version: 0 });
    this.deps.logger.info({ sessionId }, 'session opened');
    return { sessionId, created: true, welcome };
  }

  private turn(sessionId: string, msg: UserMessage): Promise<BotMessage[]> {
    // Chain on the session's queue; a failed turn must not block the next one.
    const previous = this.queues.get(sessionId);
    const next = () => this.runTurn(sessionId, msg);
    const run = previous ? previous.then(next, next) : next();
    this.queues.set(sessionId, run);
    const forget = () => {
      if (this.queues.get(sessionId) === run) this.queues.delete(sessionId);
    };
    run.then(forget, forget);
    return run;
  }

  private async runTurn(sessionId: string, msg: UserMessage): Promise<BotMessage[]> {
    const started = performance.now();
    // A stale cached session is recomputed once from the store; a second conflict
    // means another process is writing this session right now: give up on this message.
    for (let attempt = 0; ; attempt++) {
      // A retry of a stored turn gets its replies even if the session has been closed since.
      if (msg.clientMessageId !== undefined) {
        const earlier = await this.deps.store.findTurn(sessionId, msg.clientMessageId);
        if (earlier) return earlier;
      }
      const session = this.active.get(sessionId) ?? (await this.load(sessionId));
      try {
        return await this.handleAndCommit(sessionId, session, msg, started);
      } catch (e) {
        if (!(e instanceof StaleSessionError)) throw e;
        this.active.delete(sessionId);
        if (attempt > 0) throw new ProtocolFailure('INTERNAL', 'the session is busy elsewhere; try again');
      }
    }
  }

  /** The session from the store, restored for the bot; refuses closed and unknown sessions. */
  private async load(sessionId: string): Promise<ActiveSession> {
    const session = await this.deps.store.getSession(sessionId);
    if (!session) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    if (session.status === 'closed') throw new ProtocolFailure('SESSION_CLOSED', 'the session has ended; start a new one');
    try {
      return { state: this.deps.bot.restore(session.state), version: session.version };
    } catch (e) {
      this.deps.logger.error({ sessionId, err: e }, 'stored session state does not restore');
      throw new ProtocolFailure('INTERNAL', 'the session cannot be continued; start a new one');
    }
  }

  private async handleAndCommit(sessionId: string, session: ActiveSession, msg: UserMessage, started: number): Promise<BotMessage[]> {
    const { bot, store, logger } = this.deps;
    const now = new Date();
    const result = bot.handle(session.state, { text: msg.text, payload: msg.payload, now }, this.ctx);
    const replies = result.replies.map(maskMessage);
    try {
      await store.commitTurn({
        sessionId,
        now,
        // As the bot needs it (an IMEI given early is checked later); masked when the session closes.
        state: result.state as SessionStateJson,
        userText: maskSensitive(msg.text),
        clientMessageId: msg.clientMessageId,
        replies,
        effects: result.effects.map((e) => this.prepareEffect(e, now)),
        tried: triedSteps(replies),
        baseVersion: session.version,
      });
    } catch (e) {
      // Another process committed the same client message first: answer as it did.
      if (e instanceof DuplicateTurnError) {
        this.active.delete(sessionId);
        const stored = await store.findTurn(sessionId, e.clientMessageId);
        if (stored) return stored;
      }
      throw e;
    }
    this.remember(sessionId, { state: result.state, version: session.version + 1 });
    logger.info(
      {
        sessionId,
        intent: result.nlu?.intent ?? null,
        confidence: result.nlu ? Math.round(result.nlu.confidence * 1000) / 1000 : null,
        replies: replies.length,
        effects: result.effects.map((e) => e.type),
        ms: Math.round((performance.now() - started) * 100) / 100,
      },
      'turn',
    );
    return replies;
  }

  /** Caches `session` as the most recently used, evicting the least recently used beyond cacheSize. */
  private remember(sessionId: string, session: ActiveSession): void {
    this.active.delete(sessionId);
    this.active.set(sessionId, session);
    if (this.active.size > this.cacheSize) this.active.delete(this.active.keys().next().value!);
  }

  /** Masks free text in effects and pins follow-up times to ISO UTC (the store compares them as strings). */
  private prepareEffect(e: Effect, now: Date): Effect {
    switch (e.type) {
      case 'ticket_opened':
        return { ...e, summary: maskSensitive(e.summary) };
      case 'ticket_updated':
        return { ...e, note: maskSensitive(e.note) };
      case 'handover':
        return { ...e, reason: maskSensitive(e.reason) };
      case 'rating':
        return e;
      case 'follow_up': {
        const asked = new Date(e.dueAt).getTime();
        const due =
          this.deps.followUpDelayMs !== undefined
            ? now.getTime() + this.deps.followUpDelayMs
            : Number.isFinite(asked)
              ? asked
              : now.getTime();
        return { ...e, dueAt: new Date(due).toISOString(), message: maskMessage(e.message) };
      }
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (!this.accepting) return Promise.reject(new ProtocolFailure('UNAVAILABLE', 'the server is shutting down'));
    const p = work();
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}
