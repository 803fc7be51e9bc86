/**
 * The human side of a conversation: an agent claims a waiting conversation
 * (or it is given to the least busy agent online), replies, writes internal
 * notes, transfers it, hands it back to the bot, or closes it with a
 * resolution — and only then is the user asked to rate the service. Every
 * change is one atomic commit with its analytics event and an audit line;
 * two agents claiming at once: one wins, the other is told ALREADY_CLAIMED.
 *
 * Conversations of an agent whose desk has been gone past a limit go back to
 * the queue at their old place; conversations nobody takes in time (or still
 * waiting when the desk closes) are told so honestly and offered a call-back.
 */
import { randomUUID } from 'node:crypto';
import type { BotEvent, TicketStatus, TurnContext } from '../bot.types.js';
import type { AnalyticsEvent } from '../analytics/events.js';
import type { Conversations } from '../conversation/index.js';
import type { Availability, HumanAvailability } from '../conversation/ports.js';
import { checkText } from '../conversation/validate.js';
import { ProtocolFailure } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { AgentStatus, BotMessage, CannedReply, DeskConversation, DeskNote, DeskOutage, QueueItem } from '../protocol.js';
import type { AgentRecord, Commit, OutgoingMessage, SessionRecord, StoreEffect } from '../store/types.js';
import { ModeConflictError } from '../store/types.js';
import type { BusinessHours } from './businessHours.js';
import type { DeskContent, DeskPhrase } from './deskContent.js';
import type { AgentPresence } from './presence.js';
import { DeskViews } from './views.js';

/** Longest agent message, in characters as people see them (users get 500). */
export const MAX_AGENT_TEXT = 2000;

/** Pushes to agents' desks, wherever they are connected. */
export interface DeskChannel {
  toAgent(login: string, event: 'assigned', e: { conversation: DeskConversation; by: 'auto' | 'transfer'; from?: string; note?: string }): void;
  toAgent(login: string, event: 'released', e: { sessionId: string; why: 'away' | 'transferred' | 'closed' | 'handed_back' | 'user_left' }): void;
  toAgent(login: string, event: 'user_message', e: { sessionId: string; text: string; at: string }): void;
  toAgent(login: string, event: 'typing', e: { sessionId: string; typing: boolean }): void;
  toAgent(login: string, event: 'mine', e: { conversations: QueueItem[] }): void;
  toAll(event: 'queue', e: { waiting: QueueItem[]; callbacksPending: number }): void;
  toAll(event: 'agents', e: { agents: AgentStatus[] }): void;
  toAll(event: 'outage', e: DeskOutage): void;
  /**
   * Whether `login` has a desk open on any process, and in which state: what presence is
   * rebuilt from when its store lost its entries (a Redis restarted without its data).
   */
  atDesk(login: string): Promise<'online' | 'away' | null>;
}

export interface DeskOptions {
  capacity: number;
  autoAssign: boolean;
  /** An agent not heard from this long loses their conversations to the queue. */
  awayRequeueMs: number;
  /** A conversation waiting this long is told nobody could come, and offered a call-back. */
  queueTimeoutMs: number;
  /** Presence heartbeat TTL. */
  presenceTtlMs: number;
}

export interface DeskDeps {
  conversations: Conversations;
  content: DeskContent;
  presence: AgentPresence;
  hours: BusinessHours;
  logger: Logger;
  options: DeskOptions;
}

/** A rough handle time per conversation when none has been measured yet. */
const DEFAULT_HANDLE_MS = 6 * 60_000;

export class Desk {
  readonly views: DeskViews;
  channel: DeskChannel | null = null;
  private snapshot: { online: Set<string>; load: Map<string, number> } = { online: new Set(), load: new Map() };
  /** Moving average of how long agents take per conversation, for the user's estimated wait. */
  private handleMs = DEFAULT_HANDLE_MS;

  constructor(private readonly d: DeskDeps) {
    this.views = new DeskViews(d.conversations.deps.store, d.conversations.deps.bot);
  }

  private get c() {
    return this.d.conversations.deps;
  }

  /* ------------------------------------------------ availability, for the bot's hand-over */

  readonly availability: Availability = {
    now: (at: Date): HumanAvailability => {
      if (!this.d.hours.isOpen(at)) {
        const opensAt = this.d.hours.nextOpening(at);
        return { available: false, why: 'after_hours', ...(opensAt ? { opensAt } : {}) };
      }
      const online = [...this.snapshot.online];
      if (online.length === 0) return { available: false, why: 'no_agent' };
      // The queue is also capacity: waiting is fine while someone will be free soon, not when every seat is taken many times over.
      if (online.every((a) => (this.snapshot.load.get(a) ?? 0) >= this.d.options.capacity)) return { available: false, why: 'full' };
      return { available: true };
    },
    etaMinutes: (position: number) => {
      const agents = Math.max(1, this.snapshot.online.size);
      return Math.max(1, Math.round((position * this.handleMs) / agents / this.d.options.capacity / 60_000));
    },
  };

  /** Re-reads who is online and how busy, for availability and assignment. */
  async refresh(now = this.c.now()): Promise<void> {
    const present = await this.d.presence.present(now.getTime());
    const load = new Map<string, number>();
    for (const a of await this.c.store.assigned()) if (a.session.assignee) load.set(a.session.assignee, (load.get(a.session.assignee) ?? 0) + 1);
    this.snapshot = { online: new Set(present.filter((p) => p.state === 'online').map((p) => p.login)), load };
  }

  async agentStatuses(now = this.c.now()): Promise<AgentStatus[]> {
    const present = new Map((await this.d.presence.present(now.getTime())).map((p) => [p.login, p.state]));
    const load = new Map<string, number>();
    for (const a of await this.c.store.assigned()) if (a.session.assignee) load.set(a.session.assignee, (load.get(a.session.assignee) ?? 0) + 1);
    return (await this.c.store.listAgents())
      .filter((a) => !a.disabled)
      .map((a) => ({ login: a.login, name: a.name, presence: present.get(a.login) ?? 'offline', load: load.get(a.login) ?? 0, capacity: this.d.options.capacity }));
  }

  /** Tells every desk what changed in the queue and among the agents; gives queued users their new place. */
  async broadcast(): Promise<void> {
    await this.refresh();
    const waiting = await this.views.queue();
    const callbacksPending = (await this.c.store.callbacks('pending')).length;
    this.channel?.toAll('queue', { waiting, callbacksPending });
    this.channel?.toAll('agents', { agents: await this.agentStatuses() });
    waiting.forEach((w, i) => this.c.users.toSession(w.sessionId, 'status', { mode: 'queued', position: i + 1, etaMinutes: this.availability.etaMinutes(i + 1) }));
  }

  private async sendMine(login: string): Promise<void> {
    this.channel?.toAgent(login, 'mine', { conversations: await this.views.mine(login) });
  }

  /* ------------------------------------------------ what agents do */

  async claim(agent: AgentRecord, sessionId: string, by: 'claim' | 'auto' = 'claim'): Promise<DeskConversation> {
    const mine = await this.c.store.assigned(agent.login);
    if (mine.length >= this.d.options.capacity) throw new ProtocolFailure('AT_CAPACITY', `you already serve ${mine.length} conversations`);
    const now = this.c.now();
    await this.c.lock.run(sessionId, async () => {
      const session = await this.existing(sessionId);
      if (session.mode !== 'queued') throw this.notQueued(session);
      try {
        await this.commit(session, {
          now,
          expect: { modes: ['queued'] },
          mode: { mode: 'agent', assignee: agent.login },
          notice: ['agentJoined', agent.name],
          effects: [{ type: 'handoff_assigned', agent: agent.login }],
          events: [{ type: 'claimed', actor: 'agent', actorId: agent.login, data: { waitedMs: sinceMs(session.queuedAt, now), by } }],
        });
      } catch (e) {
        if (e instanceof ModeConflictError) throw this.notQueued(await this.existing(sessionId));
        throw e;
      }
    });
    await this.audit(agent.login, 'claimed', sessionId, by === 'auto' ? 'assigned automatically' : '');
    this.c.users.toSession(sessionId, 'status', { mode: 'agent', agentName: agent.name });
    const conversation = (await this.views.conversation(sessionId))!;
    await this.broadcast();
    await this.sendMine(agent.login);
    return conversation;
  }

  /** Opens any conversation read-only (a ticket's, a colleague's); audited. */
  async view(agent: AgentRecord, sessionId: string): Promise<DeskConversation> {
    const conversation = await this.views.conversation(sessionId);
    if (!conversation) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such conversation');
    await this.audit(agent.login, 'viewed', sessionId, '');
    return conversation;
  }

  async send(agent: AgentRecord, sessionId: string, raw: unknown, clientMessageId?: string): Promise<BotMessage> {
    const text = checkText(raw, MAX_AGENT_TEXT).trim();
    const now = this.c.now();
    const message = await this.c.lock.run(sessionId, async () => {
      const session = await this.owned(agent, sessionId);
      const m: BotMessage = this.c.redaction.message({ id: clientMessageId ? `agent:${clientMessageId}` : randomUUID(), text, from: 'agent', agentName: agent.name, lang: session.lang });
      await this.commit(session, {
        now,
        expect: { modes: ['agent'], assignee: agent.login },
        messages: [{ role: 'agent', agent: agent.login, message: m }],
        events: [{ type: 'agent_message', actor: 'agent', actorId: agent.login, data: { first: false, sinceQueuedMs: sinceMs(session.queuedAt, now) } }],
      });
      return m;
    });
    this.c.users.toSession(sessionId, 'bot_message', message);
    this.c.users.toSession(sessionId, 'typing', { typing: false, agentName: agent.name });
    await this.audit(agent.login, 'replied', sessionId, '');
    return message;
  }

  async note(agent: AgentRecord, sessionId: string, raw: unknown): Promise<DeskNote> {
    const text = checkText(raw, MAX_AGENT_TEXT).trim();
    const session = await this.existing(sessionId);
    const now = this.c.now();
    await this.c.lock.run(sessionId, () => this.commit(session, { now, effects: [{ type: 'note', agent: agent.login, text: this.c.redaction.text(text) }], active: false, guard: false }));
    await this.audit(agent.login, 'noted', sessionId, '');
    const notes = await this.c.store.notes(sessionId);
    const n = notes.at(-1)!;
    return { id: n.id, agent: n.agent, text: n.text, at: n.at };
  }

  typing(agent: AgentRecord, sessionId: string, typing: boolean): void {
    const cached = this.c.cache.get(sessionId);
    if (cached && (cached.mode !== 'agent' || cached.assignee !== agent.login)) return;
    this.c.users.toSession(sessionId, 'typing', { typing, agentName: agent.name });
  }

  async transfer(agent: AgentRecord, sessionId: string, to: string, note?: string): Promise<void> {
    const target = await this.c.store.getAgent(to);
    const statuses = await this.agentStatuses();
    const status = statuses.find((s) => s.login === to);
    if (!target || target.disabled || to === agent.login || !status || status.presence === 'offline' || status.load >= status.capacity) {
      throw new ProtocolFailure('AGENT_UNAVAILABLE', `${to} cannot take a conversation now`);
    }
    const now = this.c.now();
    await this.c.lock.run(sessionId, async () => {
      const session = await this.owned(agent, sessionId);
      await this.commit(session, {
        now,
        expect: { modes: ['agent'], assignee: agent.login },
        mode: { mode: 'agent', assignee: to },
        notice: ['transferred', target.name],
        effects: [{ type: 'handoff_assigned', agent: to }, ...(note ? [{ type: 'note' as const, agent: agent.login, text: `→ ${target.name}: ${this.c.redaction.text(note)}` }] : [])],
        events: [{ type: 'transferred', actor: 'agent', actorId: agent.login, data: { to } }],
      });
    });
    await this.audit(agent.login, 'transferred', sessionId, `to ${to}`);
    this.c.users.toSession(sessionId, 'status', { mode: 'agent', agentName: target.name });
    this.channel?.toAgent(agent.login, 'released', { sessionId, why: 'transferred' });
    this.channel?.toAgent(to, 'assigned', { conversation: (await this.views.conversation(sessionId))!, by: 'transfer', from: agent.login, ...(note ? { note } : {}) });
    await this.sendMine(agent.login);
    await this.sendMine(to);
    await this.broadcast();
  }

  /** Back to the bot without a resolution: the assistant carries on, no rating. */
  async handBack(agent: AgentRecord, sessionId: string): Promise<void> {
    await this.endService(agent, sessionId, null);
  }

  async close(agent: AgentRecord, sessionId: string, resolution: 'resolved' | 'unresolved', note?: string): Promise<void> {
    await this.endService(agent, sessionId, resolution, note);
  }

  private async endService(agent: AgentRecord, sessionId: string, resolution: 'resolved' | 'unresolved' | null, note?: string): Promise<void> {
    const now = this.c.now();
    await this.c.lock.run(sessionId, async () => {
      const session = await this.owned(agent, sessionId);
      const handoff = await this.c.store.handoff(sessionId);
      const ticketId = handoff?.ticketId ?? null;
      const event: BotEvent = resolution ? { type: 'agent_closed', agentName: agent.name, resolution } : { type: 'handed_back', agentName: agent.name };
      const ticketStatus: TicketStatus = resolution === 'resolved' ? 'resolved' : 'escalated';
      await this.commit(session, {
        now,
        expect: { modes: ['agent'], assignee: agent.login },
        mode: { mode: 'bot', assignee: null },
        notice: [resolution ? 'closed' : 'handedBack', agent.name],
        bot: event,
        effects: [
          resolution ? { type: 'handoff_closed', agent: agent.login, resolution } : { type: 'handoff_cancelled', status: 'cancelled' },
          ...(ticketId && resolution
            ? [{ type: 'ticket_updated' as const, ticketId, status: ticketStatus, note: this.c.redaction.text(note?.trim() || (resolution === 'resolved' ? '人工客服已解决' : '人工客服未能解决')), by: agent.login }]
            : []),
        ],
        events: resolution
          ? [{ type: 'closed', actor: 'agent', actorId: agent.login, data: { resolution, sinceQueuedMs: sinceMs(session.queuedAt, now), sinceClaimMs: sinceMs(handoff?.assignedAt ?? null, now) } }]
          : [{ type: 'handed_back', actor: 'agent', actorId: agent.login, data: {} }],
      });
      if (resolution && handoff?.assignedAt) this.handleMs = 0.8 * this.handleMs + 0.2 * sinceMs(handoff.assignedAt, now);
    });
    await this.audit(agent.login, resolution ? 'closed' : 'handed back', sessionId, resolution ?? '');
    this.c.users.toSession(sessionId, 'status', { mode: 'bot' });
    this.channel?.toAgent(agent.login, 'released', { sessionId, why: resolution ? 'closed' : 'handed_back' });
    await this.sendMine(agent.login);
    await this.broadcast();
  }

  /* ------------------------------------------------ what users do */

  /**
   * The user stops waiting (back to the bot, which says so, to every tab of
   * the session), or leaves a conversation an agent serves. Resolves to what
   * the user was told (the notice, then the bot's words), for the REST
   * channel's answer; sockets get the same as `bot_message` events.
   */
  async leaveQueue(sessionId: string): Promise<BotMessage[]> {
    const now = this.c.now();
    const { left, told } = await this.c.lock.run(sessionId, async () => {
      const session = await this.existing(sessionId);
      if (session.status === 'closed') throw new ProtocolFailure('SESSION_CLOSED', 'the session has ended');
      if (session.mode === 'agent') {
        // The user ends a conversation an agent serves (a new conversation in the widget): the agent is told, nobody is rated.
        const handoff = await this.c.store.handoff(sessionId);
        const told = await this.commit(session, {
          now,
          expect: { modes: ['agent'], assignee: session.assignee },
          mode: { mode: 'bot', assignee: null },
          notice: ['userLeft', ''],
          effects: [{ type: 'handoff_cancelled', status: 'cancelled' }],
          events: [{ type: 'user_left', actor: 'user', data: { sinceClaimMs: sinceMs(handoff?.assignedAt ?? null, now) } }],
        });
        return { left: session.assignee, told };
      }
      if (session.mode !== 'queued') throw new ProtocolFailure('NOT_QUEUED', 'the conversation is not waiting for an agent');
      const told = await this.commit(session, {
        now,
        expect: { modes: ['queued'] },
        mode: { mode: 'bot', assignee: null },
        notice: ['queueLeft', ''],
        bot: { type: 'queue_left' },
        effects: [{ type: 'handoff_cancelled', status: 'cancelled' }],
        events: [{ type: 'queue_left', actor: 'user', data: { waitedMs: sinceMs(session.queuedAt, now), why: 'user' } }],
      });
      return { left: null, told };
    });
    this.c.users.toSession(sessionId, 'status', { mode: 'bot' });
    if (left) {
      this.channel?.toAgent(left, 'released', { sessionId, why: 'user_left' });
      await this.sendMine(left);
    }
    await this.broadcast();
    return told;
  }

  /** The user wrote while an agent owns (or will own) the conversation. */
  userMessage(sessionId: string, assignee: string | null, text: string, at: string): void {
    if (assignee) this.channel?.toAgent(assignee, 'user_message', { sessionId, text, at });
    else void this.broadcast().catch((err: unknown) => this.d.logger.warn({ err }, 'desk broadcast failed'));
  }

  userTyping(sessionId: string, assignee: string, typing: boolean): void {
    this.channel?.toAgent(assignee, 'typing', { sessionId, typing });
  }

  /** The canned replies for a conversation, placeholders filled from what the bot learnt in it. */
  async canned(agent: AgentRecord, sessionId: string): Promise<CannedReply[]> {
    const session = await this.existing(sessionId);
    let state: unknown;
    try {
      state = this.c.bot.restore(session.state);
    } catch {
      state = this.c.bot.newSession({ lang: session.lang });
    }
    const lang = session.lang;
    return this.d.content.canned.map((r) => ({
      id: r.id,
      title: r.title[lang],
      text: this.c.bot.render(state, r.text[lang].replaceAll('{agentName}', agent.name), this.c.now()),
    }));
  }

  /* ------------------------------------------------ the chores (the sweeper runs them) */

  /** Conversations of agents gone past the limit go back to the queue, at their place. */
  async requeueAbsent(now: Date): Promise<void> {
    const present = new Set((await this.d.presence.present(now.getTime())).map((p) => p.login));
    // The fleet is asked once per agent, not once per conversation (an agent serves several).
    const gone = new Set<string>();
    for (const { session } of await this.c.store.assigned()) {
      const login = session.assignee!;
      if (present.has(login)) continue;
      if (!gone.has(login)) {
        const seen = await this.d.presence.lastSeen(login);
        if (seen !== null && now.getTime() - seen < this.d.options.awayRequeueMs) continue;
        // Not heard from, yet a desk is open: presence lost its entries, not the agent their desk.
        const open = await this.channel?.atDesk(login).catch(() => null);
        if (open) {
          await this.d.presence.beat(login, open, now.getTime());
          present.add(login);
          continue;
        }
        gone.add(login);
      }
      const agent = await this.c.store.getAgent(login);
      await this.c.lock.run(session.id, async () => {
        const fresh = await this.existing(session.id);
        if (fresh.mode !== 'agent' || fresh.assignee !== login) return;
        await this.commit(fresh, {
          now,
          expect: { modes: ['agent'], assignee: login },
          mode: { mode: 'queued', assignee: null },
          notice: ['agentAway', agent?.name ?? login],
          effects: [{ type: 'handoff_requeued' }],
          events: [{ type: 'requeued', actor: 'system', data: { why: 'agent_away' } }],
        });
      });
      this.d.logger.info({ sessionId: session.id, agent: login }, 'conversation back in the queue: its agent is gone');
      this.channel?.toAgent(login, 'released', { sessionId: session.id, why: 'away' });
    }
    await this.broadcast();
  }

  /** Conversations waiting past the limit, or when the desk has closed or emptied: told so, offered a call-back. */
  async expireWaiting(now: Date): Promise<void> {
    const availability = this.availability.now(now);
    for (const { session } of await this.c.store.queue()) {
      const waited = sinceMs(session.queuedAt, now);
      // A long wait, or a desk that has closed, ends the wait; nobody online for a moment does not (agents reconnect).
      const why = waited >= this.d.options.queueTimeoutMs ? 'waited' : !availability.available && availability.why === 'after_hours' ? 'after_hours' : null;
      if (!why) continue;
      await this.c.lock.run(session.id, async () => {
        const fresh = await this.existing(session.id);
        if (fresh.mode !== 'queued') return;
        await this.commit(fresh, {
          now,
          expect: { modes: ['queued'] },
          mode: { mode: 'bot', assignee: null },
          bot: { type: 'queue_timeout', why },
          effects: [{ type: 'handoff_cancelled', status: 'cancelled' }],
          events: [{ type: 'queue_left', actor: 'system', data: { waitedMs: waited, why: 'timeout' } }],
        });
      });
      this.c.users.toSession(session.id, 'status', { mode: 'bot' });
    }
  }

  /** Gives waiting conversations, oldest first, to the least busy agents online (when AUTO_ASSIGN is on). */
  async autoAssign(now: Date): Promise<void> {
    if (!this.d.options.autoAssign) return;
    await this.refresh(now);
    for (const { session } of await this.c.store.queue()) {
      const candidates = [...this.snapshot.online].filter((a) => (this.snapshot.load.get(a) ?? 0) < this.d.options.capacity);
      if (candidates.length === 0) return;
      candidates.sort((a, b) => (this.snapshot.load.get(a) ?? 0) - (this.snapshot.load.get(b) ?? 0) || a.localeCompare(b));
      const agent = await this.c.store.getAgent(candidates[0]!);
      if (!agent || agent.disabled) continue;
      try {
        const conversation = await this.claim(agent, session.id, 'auto');
        this.channel?.toAgent(agent.login, 'assigned', { conversation, by: 'auto' });
      } catch (e) {
        if (!(e instanceof ProtocolFailure)) throw e; // someone else took it meanwhile: fine
      }
      this.snapshot.load.set(agent.login, (this.snapshot.load.get(agent.login) ?? 0) + 1);
    }
  }

  /* ------------------------------------------------ helpers */

  private async existing(sessionId: string): Promise<SessionRecord> {
    const session = await this.c.store.getSession(sessionId);
    if (!session) throw new ProtocolFailure('UNKNOWN_SESSION', 'no such conversation');
    return session;
  }

  private async owned(agent: AgentRecord, sessionId: string): Promise<SessionRecord> {
    const session = await this.existing(sessionId);
    if (session.mode !== 'agent' || session.assignee !== agent.login) throw new ProtocolFailure('NOT_YOURS', 'this conversation is not yours');
    return session;
  }

  private notQueued(session: SessionRecord): ProtocolFailure {
    return session.mode === 'agent'
      ? new ProtocolFailure('ALREADY_CLAIMED', 'another agent took this conversation first')
      : new ProtocolFailure('NOT_QUEUED', 'this conversation is not waiting for an agent');
  }

  private async audit(agent: string, action: string, sessionId: string, detail: string): Promise<void> {
    await this.c.store.audit({ at: this.c.now().toISOString(), agent, action, sessionId, ticketId: null, detail });
  }

  private notice(phrase: DeskPhrase, agentName: string, lang: 'zh' | 'en'): BotMessage {
    return { id: randomUUID(), text: this.d.content.phrases[phrase][lang].replaceAll('{agentName}', agentName), from: 'system', lang };
  }

  /**
   * One desk change of a session, as one commit: the mode change, a notice
   * to the user, what the bot says after it (a desk event), the effects and
   * the events. Sends the new messages to the user's tabs; returns the bot's.
   */
  private async commit(
    session: SessionRecord,
    o: Partial<Pick<Commit, 'expect' | 'mode' | 'messages' | 'effects' | 'active'>> & {
      now: Date;
      notice?: [DeskPhrase, string];
      bot?: BotEvent;
      events?: (Omit<AnalyticsEvent, 'at' | 'sessionId'> & { ticketId?: string | null })[];
      /** False: no version check (notes). */
      guard?: boolean;
    },
  ): Promise<BotMessage[]> /* what the user was told (every message but the agent's own, which its sender acks) */ {
    const messages: OutgoingMessage[] = [...(o.messages ?? [])];
    if (o.notice) messages.push({ role: 'system', message: this.notice(o.notice[0], o.notice[1], session.lang) });
    let state: Record<string, unknown> | undefined;
    let botReplies: BotMessage[] = [];
    const effects: StoreEffect[] = [...(o.effects ?? [])];
    if (o.bot && this.c.bot.handleEvent) {
      const numbers = await this.c.numbers.forTurn(o.now);
      const ctx: TurnContext = { nextTicketId: numbers.next, newMessageId: () => randomUUID(), humans: () => this.availability.now(o.now) };
      try {
        const result = this.c.bot.handleEvent(this.c.bot.restore(session.state), o.bot, o.now, ctx);
        state = result.state as Record<string, unknown>;
        botReplies = result.replies.map((m) => this.c.redaction.message(m));
        effects.push(...result.effects.map((e) => this.c.redaction.effect(e, o.now)));
      } finally {
        numbers.release();
      }
      for (const m of botReplies) messages.push({ role: 'bot', message: m });
    }
    const at = o.now.toISOString();
    const { version } = await this.c.store.commit({
      sessionId: session.id,
      now: o.now,
      ...(o.guard === false ? {} : { baseVersion: session.version }),
      ...(o.expect ? { expect: o.expect } : {}),
      ...(o.mode ? { mode: o.mode } : {}),
      ...(state ? { state } : {}),
      messages,
      effects,
      events: (o.events ?? []).map((e) => ({ ...e, at, sessionId: session.id }) as AnalyticsEvent),
      active: o.active ?? true,
    });
    // The session as it is now, for the next turn and for routing the user's typing.
    const mode = o.mode ?? { mode: session.mode, assignee: session.assignee };
    const closing = effects.some((e) => e.type === 'handoff_closed');
    try {
      this.c.cache.set(session.id, {
        state: this.c.bot.restore(state ?? session.state),
        version,
        mode: mode.mode,
        assignee: mode.assignee,
        lang: session.lang,
        ratingFor: closing ? (o.expect?.assignee ?? session.assignee) : session.ratingFor,
      });
    } catch {
      this.c.cache.delete(session.id); // a state the bot cannot read is reloaded (and reported) by the next turn
    }
    const told = messages.filter((m) => m.role !== 'agent').map((m) => m.message);
    for (const m of told) this.c.users.toSession(session.id, 'bot_message', m);
    return told;
  }
}

function sinceMs(iso: string | null, now: Date): number {
  return iso ? Math.max(0, now.getTime() - new Date(iso).getTime()) : 0;
}
