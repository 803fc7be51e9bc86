/**
 * A user's message, routed by who owns the conversation: while the bot does,
 * the bot answers (limit → load → bot → commit → reply); while the
 * conversation waits for an agent or an agent serves it, the bot stays
 * silent and the message goes to the desk. One message of a session at a
 * time; every change is committed before the reply is given.
 */
import { randomUUID } from 'node:crypto';
import type { Effect, TurnContext } from '../bot.types.js';
import { ProtocolFailure } from '../core/errors.js';
import type { AnalyticsEvent } from '../analytics/events.js';
import type { BotMessage, UserMessage } from '../protocol.js';
import { DuplicateTurnError, StaleSessionError, type SessionMode } from '../store/types.js';
import type { ConversationDeps, HumanAvailability, Peer } from './ports.js';
import { triedSteps } from './redaction.js';
import type { CachedSession } from './sessionCache.js';
import type { SessionService } from './sessionService.js';
import { parseRestMessage, parseUserMessage, isSessionIdShaped } from './validate.js';

export interface TurnOutcome {
  /** The session that answered: a message sent to a session that had ended is answered in a new one. */
  sessionId: string;
  replies: BotMessage[];
  /** Set when the bot stayed silent because a person owns (or will own) the conversation. */
  routedTo?: 'queue' | 'agent';
  /** Set when the message opened a new session (REST without a session, or after the old one ended). */
  opened?: { welcome: BotMessage[]; replaced?: string };
}

export class TurnService {
  constructor(
    private readonly d: ConversationDeps,
    private readonly sessions: SessionService,
  ) {}

  /** A socket `user_message` for the socket's session. The limits are taken before anything is parsed. */
  async socketTurn(sessionId: string, raw: unknown, peer: Peer): Promise<TurnOutcome> {
    if (!(await this.d.limiter.take('session', sessionId)) || !(await this.d.limiter.take('ip', peer.ip))) {
      throw new ProtocolFailure('RATE_LIMITED', 'too many messages; wait a few seconds');
    }
    return this.turn(sessionId, parseUserMessage(raw), peer);
  }

  /** A `POST /api/messages` body: continues `sessionId`, or starts a session when there is none. */
  async restTurn(raw: unknown, peer: Peer): Promise<TurnOutcome> {
    if (!(await this.d.limiter.take('ip', peer.ip))) throw new ProtocolFailure('RATE_LIMITED', 'too many requests from this address');
    const msg = parseRestMessage(raw);
    if (msg.sessionId === undefined) {
      const opened = this.sessions.fresh(msg.locale === 'en' ? 'en' : msg.locale === 'zh-CN' ? 'zh' : undefined);
      const outcome = await this.turn(opened.sessionId, msg, peer);
      return { ...outcome, opened: { welcome: opened.welcome } };
    }
    if (!isSessionIdShaped(msg.sessionId)) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such session');
    if (!(await this.d.limiter.take('session', msg.sessionId))) throw new ProtocolFailure('RATE_LIMITED', 'too many messages; wait a few seconds');
    return this.turn(msg.sessionId, msg, peer);
  }

  private turn(sessionId: string, msg: UserMessage, peer: Peer): Promise<TurnOutcome> {
    return this.d.lock.run(sessionId, () => this.runTurn(sessionId, msg, peer));
  }

  private async runTurn(sessionId: string, msg: UserMessage, peer: Peer): Promise<TurnOutcome> {
    const started = performance.now();
    // A stale cached session is recomputed once from the store; a second conflict
    // means someone else is changing this session right now: the client may send again.
    for (let attempt = 0; ; attempt++) {
      const cached = this.d.cache.get(sessionId);
      if (!cached && msg.clientMessageId !== undefined) {
        // A retry of a stored turn gets its replies, even after the session has ended.
        const earlier = await this.d.store.findTurn(sessionId, msg.clientMessageId);
        if (earlier) return { sessionId, replies: earlier };
      }
      const session = await this.sessions.load(sessionId);
      if (session.status === 'closed') return this.continueInNewSession(sessionId, session, msg, peer);
      try {
        if (session.mode !== 'bot') return await this.relay(sessionId, session, msg);
        return await this.botTurn(sessionId, session, msg, peer, started);
      } catch (e) {
        if (e instanceof DuplicateTurnError) {
          // Another process (or tab) committed the same client message first: answer as it did.
          this.d.cache.delete(sessionId);
          const stored = await this.d.store.findTurn(sessionId, e.clientMessageId);
          if (stored) return { sessionId, replies: stored };
          throw e;
        }
        if (!(e instanceof StaleSessionError)) throw e;
        this.d.cache.delete(sessionId);
        if (attempt > 0) throw new ProtocolFailure('CONFLICT', 'the conversation changed meanwhile; send the message again');
      }
    }
  }

  /**
   * A message for a session that ended (idle past SESSION_TTL) is not dropped:
   * a new session answers it, in the old one's language and linked to its last ticket.
   */
  private async continueInNewSession(oldId: string, old: CachedSession, msg: UserMessage, peer: Peer): Promise<TurnOutcome> {
    const previousTicket = (await this.d.store.tickets(oldId)).at(-1)?.id ?? null;
    const opened = this.sessions.fresh(old.lang, previousTicket);
    const outcome = await this.turn(opened.sessionId, msg, peer);
    this.d.logger.info({ sessionId: opened.sessionId, replaces: oldId }, 'session replaced: the old one had ended');
    return { ...outcome, opened: { welcome: opened.welcome, replaced: oldId } };
  }

  /** While a person owns the conversation (or it waits for one), the message goes to the desk, and the bot says nothing. */
  private async relay(sessionId: string, session: CachedSession, msg: UserMessage): Promise<TurnOutcome> {
    const now = this.d.now();
    const text = this.d.redaction.text(msg.text);
    const { version } = await this.d.store.commit({
      sessionId,
      now,
      baseVersion: session.version,
      user: { text, ...(msg.clientMessageId !== undefined ? { clientMessageId: msg.clientMessageId } : {}) },
      events: [{ type: 'user_to_agent', at: now.toISOString(), sessionId, actor: 'user', data: {} }],
    });
    this.d.cache.set(sessionId, { ...session, version, pending: undefined });
    this.d.desk.userMessage(sessionId, session.assignee, text, now.toISOString());
    this.d.metrics?.turn({ intent: null, outcome: 'relayed', seconds: 0 });
    return { sessionId, replies: [], routedTo: session.mode === 'agent' ? 'agent' : 'queue' };
  }

  private async botTurn(sessionId: string, session: CachedSession, msg: UserMessage, peer: Peer, started: number): Promise<TurnOutcome> {
    const { bot, store, logger, redaction } = this.d;
    const now = this.d.now();
    const humans: HumanAvailability = this.d.availability.now(now);
    const numbers = await this.d.numbers.forTurn(now);
    const ctx: TurnContext = { nextTicketId: numbers.next, newMessageId: () => randomUUID(), humans: () => humans };
    let result: ReturnType<typeof bot.handle>;
    try {
      result = bot.handle(session.state, { text: msg.text, ...(msg.payload !== undefined ? { payload: msg.payload } : {}), now }, ctx);
    } finally {
      numbers.release();
    }
    const lang = bot.languageOf(result.state);
    const notice = this.d.notices
      ? await this.d.notices.noticeFor({ sessionId, intent: result.nlu?.intent ?? null, slots: bot.slotsOf(result.state), text: msg.text, lang, now })
      : null;
    const replies = [...(notice ? [notice.message] : []), ...result.replies].map((m) => redaction.message(m));
    const effects = result.effects.map((e) => redaction.effect(e, now));
    const handover = effects.find((e): e is Extract<Effect, { type: 'handover' }> => e.type === 'handover');
    const mode: SessionMode = handover && humans.available ? 'queued' : 'bot';
    const events = this.turnEvents(sessionId, session, result, effects, { now, lang, peer, humans, mode, notice: notice?.id });
    const { version } = await store.commit({
      sessionId,
      now,
      ...(session.pending ? { create: { state: session.state as Record<string, unknown>, lang: session.lang, welcome: session.pending.welcome } } : {}),
      baseVersion: session.version,
      state: result.state as Record<string, unknown>,
      lang,
      ...(mode !== session.mode ? { mode: { mode, assignee: null } } : {}),
      // As the bot needs it (an IMEI given early is checked later); masked when the session closes.
      user: { text: redaction.text(msg.text), ...(msg.clientMessageId !== undefined ? { clientMessageId: msg.clientMessageId } : {}) },
      messages: replies.map((message) => ({ role: message.from === 'system' ? ('system' as const) : ('bot' as const), message })),
      effects,
      tried: triedSteps(replies),
      events,
    });
    const rated = effects.some((e) => e.type === 'rating');
    this.d.cache.set(sessionId, { state: result.state, version, mode, assignee: null, lang, ratingFor: rated ? null : session.ratingFor });
    logger.info(
      {
        sessionId,
        intent: result.nlu?.intent ?? null,
        confidence: result.nlu ? Math.round(result.nlu.confidence * 1000) / 1000 : null,
        replies: replies.length,
        effects: effects.map((e) => e.type),
        ms: Math.round((performance.now() - started) * 100) / 100,
      },
      'turn',
    );
    const turnEvent = events.find((e) => e.type === 'turn');
    this.d.metrics?.turn({
      intent: result.nlu?.intent ?? null,
      outcome: handover ? 'handover' : turnEvent?.type === 'turn' && !turnEvent.data.understood ? 'not_understood' : 'understood',
      seconds: (performance.now() - started) / 1000,
    });
    if (mode === 'queued') this.d.desk.queueChanged();
    return { sessionId, replies, ...(mode === 'queued' ? { routedTo: 'queue' as const } : {}) };
  }

  /** The analytics events of one bot turn, committed with it. */
  private turnEvents(
    sessionId: string,
    before: CachedSession,
    result: ReturnType<ConversationDeps['bot']['handle']>,
    effects: Effect[],
    o: { now: Date; lang: 'zh' | 'en'; peer: Peer; humans: HumanAvailability; mode: SessionMode; notice: string | undefined },
  ): AnalyticsEvent[] {
    const at = o.now.toISOString();
    const base = { at, sessionId };
    const events: AnalyticsEvent[] = [];
    if (before.pending) events.push({ ...base, type: 'conversation_started', actor: 'user', data: { lang: before.lang, channel: o.peer.channel } });
    const point = this.d.bot.describe(before.state);
    const next = this.d.bot.describe(result.state);
    const intent = result.nlu?.intent ?? null;
    events.push({
      ...base,
      type: 'turn',
      actor: 'bot',
      data: {
        intent,
        confidence: result.nlu ? Math.round(result.nlu.confidence * 1000) / 1000 : null,
        understood: result.understood !== false,
        at: point,
        next,
        steps: result.replies.flatMap((r) => (r.step ? [r.step] : [])),
        lang: o.lang,
        channel: o.peer.channel,
        ...(o.notice ? { notice: o.notice } : {}),
      },
    });
    for (const e of effects) {
      switch (e.type) {
        case 'ticket_opened':
          events.push({ ...base, type: 'ticket_opened', actor: 'bot', ticketId: e.ticketId, data: { intent: e.intent, kind: e.kind ?? (e.intent === 'complaint' ? 'complaint' : 'service') } });
          break;
        case 'handover':
          events.push({
            ...base,
            type: 'handoff_requested',
            actor: 'user',
            ticketId: e.ticketId,
            data: { intent: point?.dialog ?? intent, at: point, available: o.humans.available, ...(o.humans.available ? {} : { why: o.humans.why }) },
          });
          if (o.mode === 'queued') events.push({ ...base, type: 'queued', actor: 'system', ticketId: e.ticketId, data: {} });
          break;
        case 'rating':
          events.push({ ...base, type: 'rating', actor: 'user', ticketId: e.ticketId, data: { score: e.score, agent: before.ratingFor } });
          break;
        case 'callback':
          events.push({ ...base, type: 'callback_requested', actor: 'user', ticketId: e.ticketId, data: {} });
          break;
        default:
          break;
      }
    }
    return events;
  }
}
