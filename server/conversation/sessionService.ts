/**
 * Sessions: opening one at a handshake (resuming the offered one when it is
 * open), loading one for a turn, reading a transcript, saying who serves it.
 *
 * A new session is not stored at the handshake: its welcome is drawn from
 * memory, and it is stored with its first message. A handshake flood then
 * costs memory for a while (never-used sessions expire), not rows forever.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from '../bot.types.js';
import { ProtocolFailure } from '../core/errors.js';
import type { BotMessage, ConversationStatus, HandshakeAuth, TranscriptEntry } from '../protocol.js';
import type { SessionStatus } from '../store/types.js';
import type { ConversationDeps, Peer } from './ports.js';
import type { CachedSession } from './sessionCache.js';
import { isSessionIdShaped, newSessionId } from './validate.js';

export type Locale = NonNullable<HandshakeAuth['locale']>;

const LANG_OF: Record<Locale, 'zh' | 'en'> = { 'zh-CN': 'zh', en: 'en' };

export interface OpenedSession {
  sessionId: string;
  /** True for a new session; then `welcome` holds its opening messages. */
  created: boolean;
  welcome: BotMessage[];
}

/** Ids for messages the service says outside a bot turn (welcome, notices); tickets are never opened there. */
export const NO_TICKET_CONTEXT: TurnContext = {
  nextTicketId: () => {
    throw new Error('no ticket can be opened outside a turn');
  },
  newMessageId: () => randomUUID(),
};

export class SessionService {
  constructor(private readonly d: ConversationDeps) {}

  /**
   * Resumes `offeredId` when it names an open session (or one this process
   * has opened and not stored yet); otherwise opens a new one. Every
   * handshake costs its address a token, a resumed one too.
   */
  async open(opts: { offeredId?: unknown; locale?: Locale; peer: Peer }): Promise<OpenedSession> {
    if (!(await this.d.limiter.take('ip', opts.peer.ip))) throw new ProtocolFailure('RATE_LIMITED', 'too many connections from this address');
    if (isSessionIdShaped(opts.offeredId)) {
      if (this.d.cache.get(opts.offeredId)?.pending) return { sessionId: opts.offeredId, created: false, welcome: [] };
      const known = await this.d.store.getSession(opts.offeredId);
      if (known?.status === 'open') {
        await this.d.store.touchSession(known.id, this.d.now());
        return { sessionId: known.id, created: false, welcome: [] };
      }
    }
    return this.fresh(opts.locale ? LANG_OF[opts.locale] : undefined);
  }

  /** A new session in memory, with its welcome; `previousTicketId` links it to the ticket of a session that ended. */
  fresh(lang?: 'zh' | 'en', previousTicketId?: string | null): OpenedSession {
    const { bot } = this.d;
    const state = bot.newSession({ ...(lang ? { lang } : {}), ...(previousTicketId ? { lastTicketId: previousTicketId } : {}) });
    const welcome = bot.welcome(state, NO_TICKET_CONTEXT).map((m) => this.d.redaction.message(m));
    const sessionId = newSessionId();
    this.d.cache.set(sessionId, {
      state,
      version: 0,
      mode: 'bot',
      assignee: null,
      lang: bot.languageOf(state),
      ratingFor: null,
      pending: { welcome, createdAt: this.d.now().getTime() },
    });
    return { sessionId, created: true, welcome };
  }

  /** The session as the next turn starts from it: cached, or from the store and restored for the bot. */
  async load(sessionId: string): Promise<CachedSession & { status: SessionStatus }> {
    const cached = this.d.cache.get(sessionId);
    if (cached) return { ...cached, status: 'open' };
    const session = await this.d.store.getSession(sessionId);
    if (!session) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    let state: unknown;
    try {
      state = this.d.bot.restore(session.state);
    } catch (e) {
      this.d.logger.error({ sessionId, err: e }, 'stored session state does not restore');
      throw new ProtocolFailure('INTERNAL', 'the session cannot be continued; start a new one');
    }
    const loaded: CachedSession = { state, version: session.version, mode: session.mode, assignee: session.assignee, lang: session.lang, ratingFor: session.ratingFor };
    if (session.status === 'open') this.d.cache.set(sessionId, loaded);
    return { ...loaded, status: session.status };
  }

  /** The session's transcript, oldest first; a read costs the address a token (a long transcript is work). */
  async history(sessionId: unknown, peer: Peer): Promise<{ sessionId: string; status: SessionStatus; entries: TranscriptEntry[] }> {
    if (!(await this.d.limiter.take('ip', peer.ip))) throw new ProtocolFailure('RATE_LIMITED', 'too many requests from this address');
    if (!isSessionIdShaped(sessionId)) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    const pending = this.d.cache.get(sessionId)?.pending;
    if (pending) {
      const at = new Date(pending.createdAt).toISOString();
      return { sessionId, status: 'open', entries: pending.welcome.map((m) => ({ role: 'bot', at, text: m.text, message: m })) };
    }
    const session = await this.d.store.getSession(sessionId);
    if (!session) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    return { sessionId, status: session.status, entries: await this.d.store.transcript(sessionId) };
  }

  /** Who serves the conversation now, as the widget shows it. */
  async status(sessionId: string): Promise<ConversationStatus> {
    const cached = this.d.cache.get(sessionId);
    if (cached?.pending) return { mode: 'bot' };
    const session = await this.d.store.getSession(sessionId);
    if (!session || session.mode === 'bot') return { mode: 'bot' };
    if (session.mode === 'agent') {
      const agent = session.assignee ? await this.d.store.getAgent(session.assignee) : null;
      return { mode: 'agent', agentName: agent?.name ?? session.assignee ?? '' };
    }
    const queue = await this.d.store.queue();
    const position = Math.max(1, queue.findIndex((q) => q.session.id === sessionId) + 1);
    return { mode: 'queued', position, etaMinutes: this.d.availability.etaMinutes(position) };
  }

  /** Drops sessions from the cache (closed by the sweeper); a later turn would reload them anyway. */
  forget(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.d.cache.delete(id);
  }
}
