/**
 * A store that keeps everything in this process: for tests of the layers
 * above, and the reference for what another store must do (the contract
 * suite runs the same tests against it and the real ones). Objects are
 * copied in and out (structuredClone) so callers cannot alias its data.
 */
import type { SessionStateJson } from '../bot.types.js';
import { DayCounter } from '../core/ticketId.js';
import type { BotMessage, TranscriptEntry } from '../protocol.js';
import {
  DuplicateTurnError,
  ModeConflictError,
  StaleSessionError,
  UnknownSessionError,
  type AgentRecord,
  type AuditRecord,
  type CallbackRecord,
  type CallbackStatus,
  type Commit,
  type DeskLogin,
  type DueFollowUp,
  type HandoffRecord,
  type NoteRecord,
  type RatingRecord,
  type SessionRecord,
  type SessionStore,
  type StoredEvent,
  type StoreEffect,
  type TicketQuery,
  type TicketRecord,
} from './types.js';

interface FollowUpRow {
  id: number;
  sessionId: string;
  ticketId: string | null;
  dueAt: string;
  message: BotMessage;
  delivered: boolean;
}

interface SessionRow extends SessionRecord {
  purged: boolean;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRow>();
  private readonly transcripts = new Map<string, TranscriptEntry[]>();
  /** `${sessionId}\u0000${clientMessageId}` → the replies of that turn. */
  private readonly turns = new Map<string, BotMessage[]>();
  private readonly ticketRows = new Map<string, TicketRecord>();
  private readonly ratingRows: RatingRecord[] = [];
  private readonly followUps: FollowUpRow[] = [];
  private readonly handoffRows: HandoffRecord[] = [];
  private readonly callbackRows: CallbackRecord[] = [];
  private readonly noteRows: NoteRecord[] = [];
  private readonly agentRows = new Map<string, AgentRecord>();
  private readonly logins = new Map<string, DeskLogin>();
  private readonly auditRows: AuditRecord[] = [];
  private readonly eventRows: StoredEvent[] = [];
  private readonly counters = new DayCounter();
  private ids = 1;

  async getSession(id: string): Promise<SessionRecord | null> {
    const s = this.sessions.get(id);
    if (!s) return null;
    const { purged: _p, ...record } = s;
    return clone(record);
  }

  async touchSession(id: string, now: Date): Promise<void> {
    const s = this.sessions.get(id);
    if (s) s.lastActiveAt = now.toISOString();
  }

  async findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null> {
    const replies = this.turns.get(`${sessionId}\u0000${clientMessageId}`);
    return replies ? clone(replies) : null;
  }

  async commit(c: Commit): Promise<{ version: number }> {
    const at = c.now.toISOString();
    let session = this.sessions.get(c.sessionId);
    const creating = !session && c.create !== undefined;
    if (!session && !creating) throw new UnknownSessionError(c.sessionId);
    if (session) {
      if (c.baseVersion !== undefined && c.baseVersion !== session.version) throw new StaleSessionError(c.sessionId, c.baseVersion);
      if (c.expect && (!c.expect.modes.includes(session.mode) || (c.expect.assignee !== undefined && c.expect.assignee !== session.assignee))) {
        throw new ModeConflictError(c.sessionId, session.mode, session.assignee);
      }
    }
    const key = `${c.sessionId}\u0000${c.user?.clientMessageId}`;
    if (c.user?.clientMessageId !== undefined && this.turns.has(key)) throw new DuplicateTurnError(c.sessionId, c.user.clientMessageId);
    for (const e of c.effects ?? []) {
      if (e.type === 'ticket_opened' && this.ticketRows.has(e.ticketId)) throw new Error(`ticket ${e.ticketId} already exists`);
    }
    // Nothing below can throw, so the commit is all-or-nothing like the SQL transaction.
    if (!session) {
      session = {
        id: c.sessionId,
        status: 'open',
        mode: 'bot',
        assignee: null,
        queuedAt: null,
        state: clone(c.create!.state),
        lang: c.create!.lang,
        version: 0,
        createdAt: at,
        lastActiveAt: at,
        closedAt: null,
        ratingFor: null,
        purged: false,
      };
      this.sessions.set(c.sessionId, session);
      this.transcripts.set(
        c.sessionId,
        c.create!.welcome.map((m) => ({ role: 'bot' as const, at, text: m.text, message: clone(m) })),
      );
    }
    if (c.state !== undefined) session.state = clone(c.state);
    if (c.lang !== undefined) session.lang = c.lang;
    if (c.mode) {
      if (c.mode.mode === 'queued' && session.mode === 'bot') session.queuedAt = at;
      if (c.mode.mode === 'bot') session.queuedAt = null;
      session.mode = c.mode.mode;
      session.assignee = c.mode.assignee;
    }
    if (c.active !== false) session.lastActiveAt = at;
    session.version += 1;
    const transcript = this.transcripts.get(c.sessionId)!;
    if (c.user) transcript.push({ role: 'user', at, text: c.user.text });
    for (const m of c.messages ?? []) transcript.push({ role: m.role, at, text: m.message.text, message: clone(m.message) });
    if (c.user?.clientMessageId !== undefined) this.turns.set(key, clone((c.messages ?? []).map((m) => m.message)));
    for (const e of c.effects ?? []) this.applyEffect(session, at, e);
    for (const { ticketId, summary } of c.tried ?? []) {
      const ticket = this.ticketRows.get(ticketId);
      if (ticket && !ticket.tried.includes(summary)) {
        ticket.tried.push(summary);
        ticket.updatedAt = at;
      }
    }
    for (const e of c.events ?? []) this.eventRows.push({ ...clone(e), id: this.ids++ });
    return { version: session.version };
  }

  private openHandoff(sessionId: string): HandoffRecord | undefined {
    return this.handoffRows.find((h) => h.sessionId === sessionId && (h.status === 'waiting' || h.status === 'assigned'));
  }

  private applyEffect(session: SessionRow, at: string, e: StoreEffect): void {
    const sessionId = session.id;
    switch (e.type) {
      case 'ticket_opened':
        this.ticketRows.set(e.ticketId, {
          id: e.ticketId,
          sessionId,
          intent: e.intent,
          kind: e.kind ?? (e.intent === 'complaint' ? 'complaint' : 'service'),
          status: 'open',
          summary: e.summary,
          tried: [],
          notes: [],
          createdAt: at,
          updatedAt: at,
        });
        return;
      case 'ticket_updated': {
        const ticket = this.ticketRows.get(e.ticketId);
        if (ticket) {
          ticket.status = e.status;
          ticket.updatedAt = at;
          ticket.notes.push({ at, status: e.status, note: e.note, by: e.by ?? 'bot' });
        }
        return;
      }
      case 'rating':
        this.ratingRows.push({ sessionId, ticketId: e.ticketId, score: e.score, agent: session.ratingFor, at });
        session.ratingFor = null;
        return;
      case 'follow_up':
        this.followUps.push({ id: this.ids++, sessionId, ticketId: e.ticketId, dueAt: e.dueAt, message: clone(e.message), delivered: false });
        return;
      case 'handover':
        this.handoffRows.push({
          id: this.ids++,
          sessionId,
          ticketId: e.ticketId,
          intent: (e.ticketId && this.ticketRows.get(e.ticketId)?.intent) || null,
          reason: e.reason,
          status: 'waiting',
          agent: null,
          requestedAt: at,
          assignedAt: null,
          closedAt: null,
          resolution: null,
        });
        return;
      case 'callback':
        this.callbackRows.push({
          id: this.ids++,
          sessionId,
          ticketId: e.ticketId,
          phone: e.phone,
          preferredTime: e.preferredTime,
          reason: e.reason,
          status: 'pending',
          createdAt: at,
          doneAt: null,
          doneBy: null,
        });
        return;
      case 'handoff_assigned': {
        const h = this.openHandoff(sessionId);
        if (h) Object.assign(h, { status: 'assigned', agent: e.agent, assignedAt: h.assignedAt ?? at });
        return;
      }
      case 'handoff_requeued': {
        const h = this.openHandoff(sessionId);
        if (h?.status === 'assigned') Object.assign(h, { status: 'waiting', agent: null });
        return;
      }
      case 'handoff_closed': {
        const h = this.openHandoff(sessionId);
        if (h) Object.assign(h, { status: 'closed', closedAt: at, resolution: e.resolution });
        session.ratingFor = e.agent;
        return;
      }
      case 'handoff_cancelled': {
        const h = this.openHandoff(sessionId);
        if (h) Object.assign(h, { status: e.status, closedAt: at });
        return;
      }
      case 'note':
        this.noteRows.push({ id: this.ids++, sessionId, agent: e.agent, text: e.text, at });
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  async transcript(sessionId: string): Promise<TranscriptEntry[]> {
    return clone(this.transcripts.get(sessionId) ?? []);
  }

  async tickets(sessionId: string): Promise<TicketRecord[]> {
    return clone([...this.ticketRows.values()].filter((t) => t.sessionId === sessionId));
  }

  async ticket(id: string): Promise<TicketRecord | null> {
    return clone(this.ticketRows.get(id) ?? null);
  }

  async findTickets(q: TicketQuery): Promise<TicketRecord[]> {
    const found = [...this.ticketRows.values()].filter(
      (t) =>
        (!q.status || t.status === q.status) &&
        (!q.kind || t.kind === q.kind) &&
        (!q.intent || t.intent === q.intent) &&
        (!q.id || t.id.includes(q.id)) &&
        (!q.from || t.createdAt >= q.from) &&
        (!q.to || t.createdAt < q.to),
    );
    found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
    return clone(found.slice(0, Math.min(Math.max(1, q.limit ?? 100), 1000)));
  }

  async ratings(sessionId: string): Promise<RatingRecord[]> {
    return clone(this.ratingRows.filter((r) => r.sessionId === sessionId));
  }

  async reserveTicketNumbers(day: string, count: number): Promise<{ first: number }> {
    return { first: this.counters.take(day, count) };
  }

  async closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]> {
    const limit = cutoff.toISOString();
    const closed: string[] = [];
    for (const s of this.sessions.values()) {
      if (s.status === 'open' && s.mode === 'bot' && s.lastActiveAt < limit) {
        s.status = 'closed';
        s.version += 1;
        s.closedAt = now.toISOString();
        if (redact) s.state = clone(redact(s.state));
        this.eventRows.push({ id: this.ids++, at: now.toISOString(), type: 'session_closed', sessionId: s.id, actor: 'system', data: { why: 'idle' } });
        closed.push(s.id);
      }
    }
    return closed;
  }

  async claimDueFollowUps(now: Date, limit = 100): Promise<DueFollowUp[]> {
    const at = now.toISOString();
    const due = this.followUps
      .filter((f) => !f.delivered && f.dueAt <= at)
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id - b.id))
      .slice(0, limit);
    for (const f of due) {
      f.delivered = true;
      this.transcripts.get(f.sessionId)?.push({ role: 'bot', at, text: f.message.text, message: clone(f.message) });
      const session = this.sessions.get(f.sessionId);
      if (session) Object.assign(session, { status: 'open', closedAt: null, lastActiveAt: at, version: session.version + 1 });
      this.eventRows.push({ id: this.ids++, at, type: 'follow_up_sent', sessionId: f.sessionId, actor: 'system', ticketId: f.ticketId, data: {} });
    }
    return due.map((f) => ({ id: f.id, sessionId: f.sessionId, ticketId: f.ticketId, message: clone(f.message) }));
  }

  async purgeClosedSessions(before: Date): Promise<number> {
    const cutoff = before.toISOString();
    let purged = 0;
    for (const s of this.sessions.values()) {
      if (s.status !== 'closed' || s.purged || !s.closedAt || s.closedAt >= cutoff) continue;
      s.purged = true;
      s.state = {};
      this.transcripts.set(s.id, []);
      for (let i = this.noteRows.length - 1; i >= 0; i--) if (this.noteRows[i]!.sessionId === s.id) this.noteRows.splice(i, 1);
      for (let i = this.followUps.length - 1; i >= 0; i--) if (this.followUps[i]!.sessionId === s.id && this.followUps[i]!.delivered) this.followUps.splice(i, 1);
      for (const cb of this.callbackRows) {
        if (cb.sessionId === s.id && cb.status !== 'pending') cb.phone = `${cb.phone.slice(0, 3)}****${cb.phone.slice(7)}`;
      }
      purged++;
    }
    return purged;
  }

  async queue(): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    return this.withHandoffs('queued', 'waiting');
  }

  async assigned(agent?: string): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    return (await this.withHandoffs('agent', 'assigned')).filter((x) => agent === undefined || x.session.assignee === agent);
  }

  private async withHandoffs(mode: 'queued' | 'agent', status: 'waiting' | 'assigned') {
    const out: { session: SessionRecord; handoff: HandoffRecord }[] = [];
    for (const s of this.sessions.values()) {
      if (s.mode !== mode) continue;
      const h = this.handoffRows.find((r) => r.sessionId === s.id && r.status === status);
      if (h) out.push({ session: (await this.getSession(s.id))!, handoff: clone(h) });
    }
    return out.sort((a, b) => ((a.session.queuedAt ?? '') < (b.session.queuedAt ?? '') ? -1 : (a.session.queuedAt ?? '') > (b.session.queuedAt ?? '') ? 1 : a.session.id < b.session.id ? -1 : 1));
  }

  async handoff(sessionId: string): Promise<HandoffRecord | null> {
    const mine = this.handoffRows.filter((h) => h.sessionId === sessionId);
    return clone(this.openHandoff(sessionId) ?? mine.at(-1) ?? null);
  }

  async notes(sessionId: string): Promise<NoteRecord[]> {
    return clone(this.noteRows.filter((n) => n.sessionId === sessionId));
  }

  async callbacks(status?: CallbackStatus): Promise<CallbackRecord[]> {
    return clone(this.callbackRows.filter((c) => status === undefined || c.status === status).reverse());
  }

  async finishCallback(id: number, status: Exclude<CallbackStatus, 'pending'>, by: string, now: Date, note: string): Promise<boolean> {
    const cb = this.callbackRows.find((c) => c.id === id);
    if (!cb || cb.status !== 'pending') return false;
    const at = now.toISOString();
    Object.assign(cb, { status, doneAt: at, doneBy: by });
    const ticket = this.ticketRows.get(cb.ticketId);
    if (ticket) {
      const ticketStatus = status === 'done' ? 'resolved' : status === 'cancelled' ? 'closed' : 'open';
      Object.assign(ticket, { status: ticketStatus, updatedAt: at });
      ticket.notes.push({ at, status: ticketStatus, note, by });
    }
    return true;
  }

  async putAgent(a: AgentRecord): Promise<void> {
    const known = this.agentRows.get(a.login);
    this.agentRows.set(a.login, clone({ ...a, createdAt: known?.createdAt ?? a.createdAt }));
  }

  async getAgent(login: string): Promise<AgentRecord | null> {
    return clone(this.agentRows.get(login) ?? null);
  }

  async listAgents(): Promise<AgentRecord[]> {
    return clone([...this.agentRows.values()].sort((a, b) => (a.login < b.login ? -1 : 1)));
  }

  async createDeskLogin(l: DeskLogin): Promise<void> {
    this.logins.set(l.tokenHash, clone(l));
  }

  async getDeskLogin(tokenHash: string): Promise<DeskLogin | null> {
    return clone(this.logins.get(tokenHash) ?? null);
  }

  async deleteDeskLogin(tokenHash: string): Promise<void> {
    this.logins.delete(tokenHash);
  }

  async deleteDeskLoginsOf(login: string): Promise<void> {
    for (const [k, l] of this.logins) if (l.login === login) this.logins.delete(k);
  }

  async audit(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    this.auditRows.push({ ...clone(entry), id: this.ids++ });
  }

  async auditLog(q: { sessionId?: string; agent?: string; limit?: number }): Promise<AuditRecord[]> {
    return clone(
      this.auditRows
        .filter((a) => (q.sessionId === undefined || a.sessionId === q.sessionId) && (q.agent === undefined || a.agent === q.agent))
        .reverse()
        .slice(0, q.limit ?? 200),
    );
  }

  async events(from: Date, to: Date): Promise<StoredEvent[]> {
    const [a, b] = [from.toISOString(), to.toISOString()];
    return clone(this.eventRows.filter((e) => e.at >= a && e.at < b));
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
