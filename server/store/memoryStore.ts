/**
 * A store that keeps everything in this process: for tests of the layers
 * above, and the reference for what another SessionStore must do. Objects
 * are copied in and out (structuredClone) so callers cannot alias its data.
 */
import type { Effect, SessionStateJson } from '../bot.types.js';
import type { BotMessage, TranscriptEntry } from '../protocol.js';
import { calendarDay, formatTicketId } from '../core/ticketId.js';
import {
  DuplicateTurnError,
  StaleSessionError,
  UnknownSessionError,
  type DueFollowUp,
  type NewSession,
  type RatingRecord,
  type SessionRecord,
  type SessionStore,
  type TicketRecord,
  type TurnCommit,
} from './types.js';

interface FollowUpRow {
  id: number;
  sessionId: string;
  dueAt: string;
  message: BotMessage;
  delivered: boolean;
}

export class MemoryStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly transcripts = new Map<string, TranscriptEntry[]>();
  /** `${sessionId}\u0000${clientMessageId}` → the replies of that turn. */
  private readonly turns = new Map<string, BotMessage[]>();
  private readonly ticketRows = new Map<string, TicketRecord>();
  private readonly ratingRows: RatingRecord[] = [];
  private readonly followUps: FollowUpRow[] = [];
  private readonly counters = new Map<string, number>();
  private nextFollowUpId = 1;

  async createSession(s: NewSession): Promise<void> {
    const at = s.now.toISOString();
    if (this.sessions.has(s.id)) throw new Error(`session ${s.id} already exists`);
    this.sessions.set(s.id, {
      id: s.id,
      status: 'open',
      state: structuredClone(s.state),
      version: 0,
      createdAt: at,
      lastActiveAt: at,
      closedAt: null,
    });
    this.transcripts.set(
      s.id,
      s.welcome.map((m) => ({ role: 'bot' as const, at, text: m.text, message: structuredClone(m) })),
    );
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const s = this.sessions.get(id);
    return s ? structuredClone(s) : null;
  }

  async touchSession(id: string, now: Date): Promise<void> {
    const s = this.sessions.get(id);
    if (s) s.lastActiveAt = now.toISOString();
  }

  async findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null> {
    const replies = this.turns.get(`${sessionId}\u0000${clientMessageId}`);
    return replies ? structuredClone(replies) : null;
  }

  async commitTurn(t: TurnCommit): Promise<void> {
    const session = this.sessions.get(t.sessionId);
    if (!session) throw new UnknownSessionError(t.sessionId);
    if (t.baseVersion !== undefined && t.baseVersion !== session.version) throw new StaleSessionError(t.sessionId, t.baseVersion);
    const key = `${t.sessionId}\u0000${t.clientMessageId}`;
    if (t.clientMessageId !== undefined && this.turns.has(key)) {
      throw new DuplicateTurnError(t.sessionId, t.clientMessageId);
    }
    // Nothing below can throw, so the turn is all-or-nothing like the SQLite transaction.
    const at = t.now.toISOString();
    session.state = structuredClone(t.state as SessionStateJson);
    session.version += 1;
    session.lastActiveAt = at;
    const transcript = this.transcripts.get(t.sessionId)!;
    transcript.push({ role: 'user', at, text: t.userText });
    for (const m of t.replies) transcript.push({ role: 'bot', at, text: m.text, message: structuredClone(m) });
    if (t.clientMessageId !== undefined) this.turns.set(key, structuredClone(t.replies));
    for (const e of t.effects) this.applyEffect(t.sessionId, at, e);
    for (const { ticketId, summary } of t.tried ?? []) {
      const ticket = this.ticketRows.get(ticketId);
      if (ticket && !ticket.tried.includes(summary)) {
        ticket.tried.push(summary);
        ticket.updatedAt = at;
      }
    }
  }

  private applyEffect(sessionId: string, at: string, e: Effect): void {
    switch (e.type) {
      case 'ticket_opened':
        if (!this.ticketRows.has(e.ticketId)) {
          this.ticketRows.set(e.ticketId, {
            id: e.ticketId,
            sessionId,
            intent: e.intent,
            status: 'open',
            summary: e.summary,
            tried: [],
            notes: [],
            createdAt: at,
            updatedAt: at,
          });
        }
        return;
      case 'ticket_updated': {
        const ticket = this.ticketRows.get(e.ticketId);
        if (ticket) {
          ticket.status = e.status;
          ticket.updatedAt = at;
          ticket.notes.push({ at, status: e.status, note: e.note });
        }
        return;
      }
      case 'rating':
        this.ratingRows.push({ sessionId, ticketId: e.ticketId, score: e.score, at });
        return;
      case 'follow_up':
        this.followUps.push({
          id: this.nextFollowUpId++,
          sessionId,
          dueAt: e.dueAt,
          message: structuredClone(e.message),
          delivered: false,
        });
        return;
      case 'handover':
        return; // kept only by durable stores
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  async transcript(sessionId: string): Promise<TranscriptEntry[]> {
    return structuredClone(this.transcripts.get(sessionId) ?? []);
  }

  async tickets(sessionId: string): Promise<TicketRecord[]> {
    return structuredClone([...this.ticketRows.values()].filter((t) => t.sessionId === sessionId));
  }

  async ratings(sessionId: string): Promise<RatingRecord[]> {
    return structuredClone(this.ratingRows.filter((r) => r.sessionId === sessionId));
  }

  nextTicketId(now: Date): string {
    const day = calendarDay(now);
    const n = (this.counters.get(day) ?? 0) + 1;
    this.counters.set(day, n);
    return formatTicketId(now, n);
  }

  async closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]> {
    const limit = cutoff.toISOString();
    const closed: string[] = [];
    for (const s of this.sessions.values()) {
      if (s.status === 'open' && s.lastActiveAt < limit) {
        s.status = 'closed';
        s.version += 1;
        s.closedAt = now.toISOString();
        if (redact) s.state = structuredClone(redact(s.state));
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
      this.transcripts.get(f.sessionId)?.push({ role: 'bot', at, text: f.message.text, message: structuredClone(f.message) });
      const session = this.sessions.get(f.sessionId);
      if (session) Object.assign(session, { status: 'open', closedAt: null, lastActiveAt: at });
    }
    return due.map((f) => ({ id: f.id, sessionId: f.sessionId, message: structuredClone(f.message) }));
  }

  async close(): Promise<void> {}
}
