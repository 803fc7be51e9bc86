/**
 * What the PostgreSQL store reads. Rows become the contract's records through
 * the same shapes as SQLite's (sessionOf); every read runs on the pool.
 */
import type { Pool } from 'pg';
import type { TicketStatus } from '../bot.types.js';
import type { BotMessage, MessageRole, TranscriptEntry } from '../protocol.js';
import { sessionOf } from './sqliteReads.js';
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

type SessionRow = Parameters<typeof sessionOf>[0];

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
  tried: string[];
  created_at: string;
  updated_at: string;
}

const HANDOFF_COLUMNS = `h.id AS h_id, h.session_id AS h_session_id, h.ticket_id AS h_ticket_id, h.intent AS h_intent,
  h.reason AS h_reason, h.status AS h_status, h.agent AS h_agent, h.at AS h_at, h.assigned_at AS h_assigned_at,
  h.closed_at AS h_closed_at, h.resolution AS h_resolution`;

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

export class PgReads {
  constructor(protected readonly pool: Pool) {}

  /** One read; subclasses turn a lost connection into StoreUnavailableError here. */
  protected async rows<R>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(sql, args)).rows as R[];
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const [row] = await this.rows<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return row ? sessionOf(row) : null;
  }

  async findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null> {
    const [user] = await this.rows<{ seq: number }>('SELECT seq FROM messages WHERE session_id = $1 AND client_message_id = $2', [sessionId, clientMessageId]);
    if (!user) return null;
    const replies = await this.rows<{ message: string }>('SELECT message FROM messages WHERE reply_to = $1 ORDER BY seq', [user.seq]);
    return replies.map((r) => JSON.parse(r.message) as BotMessage);
  }

  async transcript(sessionId: string): Promise<TranscriptEntry[]> {
    const rows = await this.rows<{ role: MessageRole; at: string; text: string; message: string | null }>(
      'SELECT role, at, text, message FROM messages WHERE session_id = $1 ORDER BY seq',
      [sessionId],
    );
    return rows.map((r) =>
      r.message === null ? { role: r.role, at: r.at, text: r.text } : { role: r.role, at: r.at, text: r.text, message: JSON.parse(r.message) as BotMessage },
    );
  }

  private async ticketsOf(rows: TicketRow[]): Promise<TicketRecord[]> {
    if (rows.length === 0) return [];
    const notes = await this.rows<{ ticket_id: string; at: string; status: TicketStatus; note: string; by: string }>(
      'SELECT ticket_id, at, status, note, by FROM ticket_notes WHERE ticket_id = ANY($1) ORDER BY id',
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      intent: r.intent,
      kind: r.kind,
      status: r.status,
      summary: r.summary,
      tried: r.tried,
      notes: notes.filter((n) => n.ticket_id === r.id).map((n) => ({ at: n.at, status: n.status, note: n.note, by: n.by })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async tickets(sessionId: string): Promise<TicketRecord[]> {
    return this.ticketsOf(await this.rows<TicketRow>('SELECT * FROM tickets WHERE session_id = $1 ORDER BY created_at, id', [sessionId]));
  }

  async ticket(id: string): Promise<TicketRecord | null> {
    const [t] = await this.ticketsOf(await this.rows<TicketRow>('SELECT * FROM tickets WHERE id = $1', [id]));
    return t ?? null;
  }

  async findTickets(f: TicketQuery): Promise<TicketRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      args.push(value);
      where.push(clause.replace('?', `$${args.length}`));
    };
    if (f.status) add('status = ?', f.status);
    if (f.kind) add('kind = ?', f.kind);
    if (f.intent) add('intent = ?', f.intent);
    if (f.id) add(`id LIKE ? ESCAPE '\\'`, `%${f.id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.from) add('created_at >= ?', f.from);
    if (f.to) add('created_at < ?', f.to);
    args.push(Math.min(Math.max(1, f.limit ?? 100), 1000));
    const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${args.length}`;
    return this.ticketsOf(await this.rows<TicketRow>(sql, args));
  }

  async ratings(sessionId: string): Promise<RatingRecord[]> {
    const rows = await this.rows<{ session_id: string; ticket_id: string | null; score: number; agent: string | null; at: string }>(
      'SELECT session_id, ticket_id, score, agent, at FROM ratings WHERE session_id = $1 ORDER BY id',
      [sessionId],
    );
    return rows.map((r) => ({ sessionId: r.session_id, ticketId: r.ticket_id, score: r.score, agent: r.agent, at: r.at }));
  }

  async queue(): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    const rows = await this.rows<SessionRow & HandoffRow>(
      `SELECT s.*, ${HANDOFF_COLUMNS} FROM sessions s JOIN handovers h ON h.session_id = s.id AND h.status = 'waiting'
       WHERE s.mode = 'queued' ORDER BY s.queued_at, s.id`,
    );
    return rows.map((r) => ({ session: sessionOf(r), handoff: handoffOf(r) }));
  }

  async assigned(agent?: string): Promise<{ session: SessionRecord; handoff: HandoffRecord }[]> {
    const rows = await this.rows<SessionRow & HandoffRow>(
      `SELECT s.*, ${HANDOFF_COLUMNS} FROM sessions s JOIN handovers h ON h.session_id = s.id AND h.status = 'assigned'
       WHERE s.mode = 'agent' AND ($1::text IS NULL OR s.assignee = $1) ORDER BY s.queued_at, s.id`,
      [agent ?? null],
    );
    return rows.map((r) => ({ session: sessionOf(r), handoff: handoffOf(r) }));
  }

  async handoff(sessionId: string): Promise<HandoffRecord | null> {
    const [row] = await this.rows<HandoffRow>(
      `SELECT ${HANDOFF_COLUMNS} FROM handovers h WHERE h.session_id = $1
       ORDER BY (h.status IN ('waiting', 'assigned')) DESC, h.id DESC LIMIT 1`,
      [sessionId],
    );
    return row ? handoffOf(row) : null;
  }

  async notes(sessionId: string): Promise<NoteRecord[]> {
    const rows = await this.rows<{ id: number; session_id: string; agent: string; text: string; at: string }>(
      'SELECT id, session_id, agent, text, at FROM notes WHERE session_id = $1 ORDER BY id',
      [sessionId],
    );
    return rows.map((r) => ({ id: r.id, sessionId: r.session_id, agent: r.agent, text: r.text, at: r.at }));
  }

  async callbacks(status?: CallbackStatus): Promise<CallbackRecord[]> {
    const rows = await this.rows<{
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
    }>('SELECT * FROM callbacks WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT 500', [status ?? null]);
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

  private static agentOf(r: { login: string; name: string; role: AgentRecord['role']; password_hash: string; disabled: boolean; created_at: string }): AgentRecord {
    return { login: r.login, name: r.name, role: r.role, passwordHash: r.password_hash, disabled: r.disabled, createdAt: r.created_at };
  }

  async getAgent(login: string): Promise<AgentRecord | null> {
    const [r] = await this.rows<Parameters<typeof PgReads.agentOf>[0]>('SELECT * FROM agents WHERE login = $1', [login]);
    return r ? PgReads.agentOf(r) : null;
  }

  async listAgents(): Promise<AgentRecord[]> {
    return (await this.rows<Parameters<typeof PgReads.agentOf>[0]>('SELECT * FROM agents ORDER BY login')).map((r) => PgReads.agentOf(r));
  }

  async getDeskLogin(tokenHash: string): Promise<DeskLogin | null> {
    const [r] = await this.rows<{ token_hash: string; login: string; csrf: string; created_at: string; expires_at: string }>(
      'SELECT * FROM desk_logins WHERE token_hash = $1',
      [tokenHash],
    );
    return r ? { tokenHash: r.token_hash, login: r.login, csrf: r.csrf, createdAt: r.created_at, expiresAt: r.expires_at } : null;
  }

  async auditLog(f: { sessionId?: string; agent?: string; limit?: number }): Promise<AuditRecord[]> {
    const rows = await this.rows<{ id: number; at: string; agent: string; action: string; session_id: string | null; ticket_id: string | null; detail: string }>(
      `SELECT * FROM audit WHERE ($1::text IS NULL OR session_id = $1) AND ($2::text IS NULL OR agent = $2) ORDER BY id DESC LIMIT $3`,
      [f.sessionId ?? null, f.agent ?? null, f.limit ?? 200],
    );
    return rows.map((r) => ({ id: r.id, at: r.at, agent: r.agent, action: r.action, sessionId: r.session_id, ticketId: r.ticket_id, detail: r.detail }));
  }

  async events(from: Date, to: Date): Promise<StoredEvent[]> {
    const rows = await this.rows<{
      id: number;
      at: string;
      type: string;
      session_id: string;
      actor: StoredEvent['actor'];
      actor_id: string | null;
      ticket_id: string | null;
      data: string;
    }>('SELECT * FROM events WHERE at >= $1 AND at < $2 ORDER BY id', [from.toISOString(), to.toISOString()]);
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
