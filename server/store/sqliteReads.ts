/**
 * What the SQLite store reads: sessions, transcripts, tickets, the desk's
 * queue and records, agents and their logins, the audit log and the
 * analytics events. Rows become the store contract's records here, once.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SessionStateJson, TicketStatus } from '../bot.types.js';
import type { BotMessage, MessageRole, TranscriptEntry } from '../protocol.js';
import type {
  AgentRecord,
  AuditRecord,
  CallbackRecord,
  CallbackStatus,
  DeskLogin,
  HandoffRecord,
  NoteRecord,
  RatingRecord,
  SessionRecord,
  StoredEvent,
  TicketKind,
  TicketQuery,
  TicketRecord,
} from './types.js';

interface SessionRow {
  id: string;
  status: SessionRecord['status'];
  mode: SessionRecord['mode'];
  assignee: string | null;
  queued_at: string | null;
  rating_for: string | null;
  state: string;
  lang: 'zh' | 'en';
  version: number;
  created_at: string;
  last_active_at: string;
  closed_at: string | null;
}

interface HandoffRow {
  h_id: number;
  h_session_id: string;
  h_ticket_id: string | null;
  h_intent: string | null;
  h_reason: string;
  h_status: HandoffRecord['status'];
  h_agent: string | null;
  h_at: string;
  h_assigned_at: string | null;
  h_closed_at: string | null;
  h_resolution: HandoffRecord['resolution'];
}

interface TicketRow {
  id: string;
  session_id: string;
  intent: string;
  kind: TicketKind;
  status: TicketStatus;
  summary: string;
  tried: string;
  created_at: string;
  updated_at: string;
}

const HANDOFF_COLUMNS = `h.id AS h_id, h.session_id AS h_session_id, h.ticket_id AS h_ticket_id, h.intent AS h_intent,
  h.reason AS h_reason, h.status AS h_status, h.agent AS h_agent, h.at AS h_at, h.assigned_at AS h_assigned_at,
  h.closed_at AS h_closed_at, h.resolution AS h_resolution`;

export function sessionOf(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    assignee: r.assignee,
    queuedAt: r.queued_at,
    ratingFor: r.rating_for,
    state: JSON.parse(r.state) as SessionStateJson,
    lang: r.lang,
    version: r.version,
    createdAt: r.created_at,
    lastActiveAt: r.last_active_at,
    closedAt: r.closed_at,
  };
}

function handoffOf(r: HandoffRow): HandoffRecord {
  return {
    id: r.h_id,
    sessionId: r.h_session_id,
    ticketId: r.h_ticket_id,
    intent: r.h_intent,
    reason: r.h_reason,
    status: r.h_status,
    agent: r.h_agent,
    requestedAt: r.h_at,
    assignedAt: r.h_assigned_at,
    closedAt: r.h_closed_at,
    resolution: r.h_resolution,
  };
}

export class SqliteReads {
  protected readonly q: Record<string, Statement>;

  constructor(protected readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      ping: p('SELECT 1'),
      getSession: p('SELECT * FROM sessions WHERE id = ?'),
      findUserMessage: p(`SELECT seq FROM messages WHERE session_id = ? AND client_message_id = ?`),
      repliesTo: p(`SELECT message FROM messages WHERE reply_to = ? ORDER BY seq`),
      transcript: p('SELECT role, at, text, message FROM messages WHERE session_id = ? ORDER BY seq'),
      tickets: p('SELECT * FROM tickets WHERE session_id = ? ORDER BY created_at, id'),
      ticket: p('SELECT * FROM tickets WHERE id = ?'),
      notes: p('SELECT at, status, note, by FROM ticket_notes WHERE ticket_id = ? ORDER BY id'),
      ratings: p('SELECT session_id, ticket_id, score, agent, at FROM ratings WHERE session_id = ? ORDER BY id'),
      queue: p(
        `SELECT s.*, ${HANDOFF_COLUMNS} FROM sessions s JOIN handovers h ON h.session_id = s.id AND h.status = 'waiting'
         WHERE s.mode = 'queued' ORDER BY s.queued_at, s.id`,
      ),
      assigned: p(
        `SELECT s.*, ${HANDOFF_COLUMNS} FROM sessions s JOIN handovers h ON h.session_id = s.id AND h.status = 'assigned'
         WHERE s.mode = 'agent' AND (@agent IS NULL OR s.assignee = @agent) ORDER BY s.queued_at, s.id`,
      ),
      handoff: p(
        `SELECT ${HANDOFF_COLUMNS} FROM handovers h WHERE h.session_id = ?
         ORDER BY (h.status IN ('waiting', 'assigned')) DESC, h.id DESC LIMIT 1`,
      ),
      agentNotes: p('SELECT id, session_id, agent, text, at FROM notes WHERE session_id = ? ORDER BY id'),
      callbacks: p('SELECT * FROM callbacks WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT 500'),
      agent: p('SELECT * FROM agents WHERE login = ?'),
      agents: p('SELECT * FROM agents ORDER BY login'),
      deskLogin: p('SELECT * FROM desk_logins WHERE token_hash = ?'),
      auditLog: p(
        `SELECT * FROM audit WHERE (@sessionId IS NULL OR session_id = @sessionId) AND (@agent IS NULL OR agent = @agent)
         ORDER BY id DESC LIMIT @limit`,
      ),
      events: p('SELECT * FROM events WHERE at >= ? AND at < ? ORDER BY id'),
    };
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.q.getSession!.get(id) as SessionRow | undefined;
    return row ? sessionOf(row) : null;
  }

  async findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null> {
    const row = this.q.findUserMessage!.get(sessionId, clientMessageId) as { seq: number } | undefined;
    if (!row) return null;
    return (this.q.repliesTo!.all(row.seq) as { message: string }[]).map((r) => JSON.parse(r.message) as BotMessage);
  }

  async transcript(sessionId: string): Promise<TranscriptEntry[]> {
    const rows = this.q.transcript!.all(sessionId) as { role: MessageRole; at: string; text: string; message: string | null }[];
    return rows.map((r) =>
      r.message === null ? { role: r.role, at: r.at, text: r.text } : { role: r.role, at: r.at, text: r.text, message: JSON.parse(r.message) as BotMessage },
    );
  }

  private ticketOf(r: TicketRow): TicketRecord {
    return {
      id: r.id,
      sessionId: r.session_id,
      intent: r.intent,
      kind: r.kind,
      status: r.status,
      summary: r.summary,
      tried: JSON.parse(r.tried) as string[],
      notes: this.q.notes!.all(r.id) as TicketRecord['notes'],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async tickets(sessionId: string): Promise<TicketRecord[]> {
    return (this.q.tickets!.all(sessionId) as TicketRow[]).map((r) => this.ticketOf(r));
  }

  async ticket(id: string): Promise<TicketRecord | null> {
    const row = this.q.ticket!.get(id) as TicketRow | undefined;
    return row ? this.ticketOf(row) : null;
  }

  async findTickets(f: TicketQuery): Promise<TicketRecord[]> {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(1, f.limit ?? 100), 1000) };
    const add = (clause: string, name: string, value: unknown) => {
      where.push(clause);
      args[name] = value;
    };
    if (f.status) add('status = @status', 'status', f.status);
    if (f.kind) add('kind = @kind', 'kind', f.kind);
    if (f.intent) add('intent = @intent', 'intent', f.intent);
    if (f.id) add(`id LIKE @id ESCAPE '\\'`, 'id', `%${f.id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.from) add('created_at >= @from', 'from', f.from);
    if (f.to) add('created_at < @to', 'to', f.to);
    const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as TicketRow[]).map((r) => this.ticketOf(r));
  }

  async ratings(sessionId: string): Promise<RatingRecord[]> {
    const rows = this.q.ratings!.all(sessionId) as { session_id: string; ticket_id: string | null; score: number; agent: string | null; at: string }[];
    return rows.map((r) => ({ sessionId: r.session_id, ticketId: r.ticket_id, score: r.score, agent: r.agent, at: r.at }));
  }

  async queue(): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    return (this.q.queue!.all() as (SessionRow & HandoffRow)[]).map((r) => ({ session: sessionOf(r), handoff: handoffOf(r) }));
  }

  async assigned(agent?: string): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    return (this.q.assigned!.all({ agent: agent ?? null }) as (SessionRow & HandoffRow)[]).map((r) => ({ session: sessionOf(r), handoff: handoffOf(r) }));
  }

  async handoff(sessionId: string): Promise<HandoffRecord | null> {
    const row = this.q.handoff!.get(sessionId) as HandoffRow | undefined;
    return row ? handoffOf(row) : null;
  }

  async notes(sessionId: string): Promise<NoteRecord[]> {
    return (this.q.agentNotes!.all(sessionId) as { id: number; session_id: string; agent: string; text: string; at: string }[]).map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      agent: r.agent,
      text: r.text,
      at: r.at,
    }));
  }

  async callbacks(status?: CallbackStatus): Promise<CallbackRecord[]> {
    const rows = this.q.callbacks!.all({ status: status ?? null }) as {
      id: number;
      session_id: string;
      ticket_id: string;
      phone: string;
      preferred_time: string;
      reason: string;
      status: CallbackStatus;
      created_at: string;
      done_at: string | null;
      done_by: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      ticketId: r.ticket_id,
      phone: r.phone,
      preferredTime: r.preferred_time,
      reason: r.reason,
      status: r.status,
      createdAt: r.created_at,
      doneAt: r.done_at,
      doneBy: r.done_by,
    }));
  }

  async getAgent(login: string): Promise<AgentRecord | null> {
    const r = this.q.agent!.get(login) as
      | { login: string; name: string; role: AgentRecord['role']; password_hash: string; disabled: number; created_at: string }
      | undefined;
    return r ? { login: r.login, name: r.name, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at } : null;
  }

  async listAgents(): Promise<AgentRecord[]> {
    const rows = this.q.agents!.all() as { login: string }[];
    return Promise.all(rows.map(async (r) => (await this.getAgent(r.login))!));
  }

  async getDeskLogin(tokenHash: string): Promise<DeskLogin | null> {
    const r = this.q.deskLogin!.get(tokenHash) as
      | { token_hash: string; login: string; csrf: string; created_at: string; expires_at: string }
      | undefined;
    return r ? { tokenHash: r.token_hash, login: r.login, csrf: r.csrf, createdAt: r.created_at, expiresAt: r.expires_at } : null;
  }

  async auditLog(f: { sessionId?: string; agent?: string; limit?: number }): Promise<AuditRecord[]> {
    const rows = this.q.auditLog!.all({ sessionId: f.sessionId ?? null, agent: f.agent ?? null, limit: f.limit ?? 200 }) as {
      id: number;
      at: string;
      agent: string;
      action: string;
      session_id: string | null;
      ticket_id: string | null;
      detail: string;
    }[];
    return rows.map((r) => ({ id: r.id, at: r.at, agent: r.agent, action: r.action, sessionId: r.session_id, ticketId: r.ticket_id, detail: r.detail }));
  }

  async events(from: Date, to: Date): Promise<StoredEvent[]> {
    const rows = this.q.events!.all(from.toISOString(), to.toISOString()) as {
      id: number;
      at: string;
      type: string;
      session_id: string;
      actor: StoredEvent['actor'];
      actor_id: string | null;
      ticket_id: string | null;
      data: string;
    }[];
    return rows.map(
      (r) =>
        ({
          id: r.id,
          at: r.at,
          type: r.type,
          sessionId: r.session_id,
          actor: r.actor,
          actorId: r.actor_id,
          ticketId: r.ticket_id,
          data: JSON.parse(r.data) as unknown,
        }) as StoredEvent,
    );
  }
}
