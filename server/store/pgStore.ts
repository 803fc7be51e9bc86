/**
 * The store of several processes: PostgreSQL through `pg`. Every commit is
 * one transaction (READ COMMITTED; the guarded UPDATE of the session row is
 * the whole concurrency check, as in SQLite: PostgreSQL re-evaluates its WHERE
 * on the newest row version, so two processes racing on one session get one
 * success and one StaleSessionError or ModeConflictError). Ticket numbers come
 * from one upserted counter row per day, so no two processes get the same block.
 *
 * PostgreSQL going away (stopped, restarting, unreachable) turns every call
 * into StoreUnavailableError, and `healthy()` false; the pool reconnects by
 * itself once it is back, and nothing acknowledged before is lost.
 */
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import type { SessionStateJson } from '../bot.types.js';
import type { BotMessage } from '../protocol.js';
import { isConnectionFailure, pgCode } from './pgErrors.js';
import { PgReads } from './pgReads.js';
import { migratePg } from './pgSchema.js';
import {
  DuplicateTurnError,
  ModeConflictError,
  StaleSessionError,
  StoreUnavailableError,
  UnknownSessionError,
  type AgentRecord,
  type AuditRecord,
  type Commit,
  type DeskLogin,
  type DueFollowUp,
  type SessionMode,
  type SessionStore,
  type StoreEffect,
} from './types.js';

/**
 * The tickets' `tried` lists, appended in order, each line once: `$1` is
 * `[{ id, items: [line…] }]`, `$2` the time. Shared by the turn statement and
 * the statement run after a turn's effects.
 */
const TRIED_UPDATE = (src: string, items: string, at: string) => `
  UPDATE tickets SET
    tried = tickets.tried || (SELECT coalesce(jsonb_agg(v.value ORDER BY v.ord), '[]'::jsonb)
                              FROM jsonb_array_elements(x.items) WITH ORDINALITY AS v(value, ord)
                              WHERE NOT tickets.tried @> jsonb_build_array(v.value)),
    updated_at = ${at}
  FROM ${src} jsonb_to_recordset(${items}::jsonb) AS x(id text, items jsonb)
  WHERE tickets.id = x.id COLLATE "C"
    AND EXISTS (SELECT 1 FROM jsonb_array_elements(x.items) AS v(value) WHERE NOT tickets.tried @> jsonb_build_array(v.value))`;

const TRIED_SQL = TRIED_UPDATE('', '$1', '$2');

/**
 * A turn's commit in one statement: the guarded session update, and — only
 * when it succeeded (every insert reads `s`) — the user's message, the
 * messages answering it (after it, in order), the analytics events and the
 * tickets' `tried`. No row back: the guard refused (nothing was written).
 */
const TURN_SQL = `
WITH s AS (
  UPDATE sessions SET
    state = coalesce($2, state),
    lang = coalesce($3, lang),
    queued_at = CASE WHEN $4::text = 'queued' AND mode = 'bot' THEN $6 WHEN $4::text = 'bot' THEN NULL ELSE queued_at END,
    mode = coalesce($4, mode),
    assignee = CASE WHEN $4::text IS NULL THEN assignee ELSE $5 END,
    last_active_at = CASE WHEN $7 THEN $6 ELSE last_active_at END,
    version = version + 1
  WHERE id = $1
    AND ($8::integer IS NULL OR version = $8)
    AND ($9::text[] IS NULL OR mode = ANY ($9))
    AND (NOT $10 OR assignee IS NOT DISTINCT FROM $11)
  RETURNING version
), u AS (
  INSERT INTO messages (session_id, role, at, text, client_message_id)
  SELECT $1, 'user', $6, $12::text, $13::text FROM s WHERE $12::text IS NOT NULL
  RETURNING seq
), m AS (
  -- Joined to u, so the user's message is written (and numbered) before its replies.
  INSERT INTO messages (session_id, role, at, text, message, reply_to, agent)
  SELECT $1, x.role, $6, x.text, x.message, u.seq, x.agent
  FROM s LEFT JOIN u ON true, unnest($14::text[], $15::text[], $16::text[], $17::text[]) WITH ORDINALITY AS x(role, text, message, agent, ord)
  ORDER BY x.ord
), e AS (
  INSERT INTO events (at, type, session_id, actor, actor_id, ticket_id, data)
  SELECT x.at, x.type, x.session_id, x.actor, x.actor_id, x.ticket_id, x.data
  FROM s, unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[]) WITH ORDINALITY AS x(at, type, session_id, actor, actor_id, ticket_id, data, ord)
  ORDER BY x.ord
), t AS (${TRIED_UPDATE('s,', '$25', '$6')}
)
SELECT version FROM s`;

/** `tried` grouped by ticket, in order, each line once, as TRIED_UPDATE reads it. */
function triedJson(tried: readonly { ticketId: string; summary: string }[]): string {
  const byTicket = new Map<string, string[]>();
  for (const { ticketId, summary } of tried) {
    const items = byTicket.get(ticketId) ?? [];
    if (!items.includes(summary)) items.push(summary);
    byTicket.set(ticketId, items);
  }
  return JSON.stringify([...byTicket].map(([id, items]) => ({ id, items })));
}

/** TURN_SQL's parameters for `c`; `tried` there only when `withTried`. */
function turnArgs(c: Commit, at: string, withTried: boolean): unknown[] {
  const messages = c.messages ?? [];
  const events = c.events ?? [];
  return [
    c.sessionId,
    c.state === undefined ? null : JSON.stringify(c.state),
    c.lang ?? null,
    c.mode?.mode ?? null,
    c.mode?.assignee ?? null,
    at,
    c.active !== false,
    c.baseVersion ?? null,
    c.expect ? [...c.expect.modes] : null,
    c.expect !== undefined && c.expect.assignee !== undefined,
    c.expect?.assignee ?? null,
    c.user?.text ?? null,
    c.user?.clientMessageId ?? null,
    messages.map((m) => m.role),
    messages.map((m) => m.message.text),
    messages.map((m) => JSON.stringify(m.message)),
    messages.map((m) => m.agent ?? null),
    events.map((e) => e.at),
    events.map((e) => e.type),
    events.map((e) => e.sessionId),
    events.map((e) => e.actor),
    events.map((e) => e.actorId ?? null),
    events.map((e) => e.ticketId ?? null),
    events.map((e) => JSON.stringify(e.data)),
    withTried ? triedJson(c.tried ?? []) : '[]',
  ];
}

export interface PgStoreOptions {
  /** Connections per process (default 10). */
  poolSize?: number;
  /** Background failures (an idle connection dropped); the store keeps working. */
  onError?: (e: Error) => void;
}

/** A query; with `name`, prepared once per connection and reused (the turn's statements, parsed and planned once). */
type Q = <R extends QueryResultRow = Record<string, unknown>>(sql: string, args?: unknown[], name?: string) => Promise<{ rows: R[]; rowCount: number }>;

function unavailable(e: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`PostgreSQL is unreachable (${pgCode(e) || (e instanceof Error ? e.message : String(e))})`, e);
}

export class PgStore extends PgReads implements SessionStore {
  private failing = false;
  private closed = false;

  private constructor(pool: pg.Pool) {
    super(pool);
  }

  /** Connects, applies missing migrations, and resolves with the store. Rejects when PostgreSQL cannot be reached. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 10_000,
      query_timeout: 15_000,
      application_name: 'kefu',
    });
    // An idle connection that PostgreSQL drops (a restart) is reported here, not thrown: the pool replaces it.
    pool.on('error', (err) => options.onError?.(err));
    try {
      const client = await pool.connect();
      try {
        await migratePg(client);
      } finally {
        client.release();
      }
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return new PgStore(pool);
  }

  /** Runs `work`, turning a lost database into StoreUnavailableError and keeping track of health. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.failing = false;
      return result;
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      if (isConnectionFailure(e)) {
        this.failing = true;
        throw unavailable(e);
      }
      throw e;
    }
  }

  protected override rows<R>(sql: string, args: unknown[] = []): Promise<R[]> {
    return this.guard(async () => (await this.pool.query(sql, args)).rows as R[]);
  }

  /** One transaction on one connection; a connection that broke is dropped, not returned to the pool. */
  private tx<T>(work: (q: Q) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const client: PoolClient = await this.pool.connect();
      let broken: Error | undefined;
      try {
        const q: Q = async (sql, args, name) => {
          const r = await client.query(name ? { name, text: sql, values: args ?? [] } : { text: sql, values: args ?? [] });
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        };
        await client.query('BEGIN');
        try {
          const result = await work(q);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          if (isConnectionFailure(e)) broken = e as Error;
          else await client.query('ROLLBACK').catch((r: Error) => (broken = r));
          throw e;
        }
      } finally {
        client.release(broken);
      }
    });
  }

  commit(c: Commit): Promise<{ version: number }> {
    // A turn that opens no session and has no effects is one statement, atomic by itself: one round trip.
    const run = c.create || (c.effects?.length ?? 0) > 0 ? this.tx((q) => this.write(q, c)) : this.guard(() => this.write(this.poolQuery, c));
    return run.catch((e: unknown) => {
      if (pgCode(e) === '23505' && c.user?.clientMessageId !== undefined && String((e as { constraint?: string }).constraint) === 'messages_client_id') {
        throw new DuplicateTurnError(c.sessionId, c.user.clientMessageId);
      }
      throw e;
    });
  }

  /** A query on any pooled connection (outside a transaction). */
  private readonly poolQuery: Q = async (sql, args, name) => {
    const r = await this.pool.query(name ? { name, text: sql, values: args ?? [] } : { text: sql, values: args ?? [] });
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  };

  private async write(q: Q, c: Commit): Promise<{ version: number }> {
    const at = c.now.toISOString();
    if (c.create) {
      const welcome = c.create.welcome;
      await q(
        `WITH created AS (
           INSERT INTO sessions (id, status, state, lang, created_at, last_active_at) VALUES ($1, 'open', $2, $3, $4, $4)
           ON CONFLICT (id) DO NOTHING RETURNING id)
         INSERT INTO messages (session_id, role, at, text, message)
         SELECT created.id, 'bot', $4, w.text, w.message FROM created, unnest($5::text[], $6::text[]) WITH ORDINALITY AS w(text, message, ord) ORDER BY w.ord`,
        [c.sessionId, JSON.stringify(c.create.state), c.create.lang, at, welcome.map((m) => m.text), welcome.map((m) => JSON.stringify(m))],
      );
    }
    // Effects may open the tickets this turn's solutions go on: then `tried` waits for them.
    const triedNow = (c.effects?.length ?? 0) === 0;
    const { rows } = await q<{ version: number }>(TURN_SQL, turnArgs(c, at, triedNow), 'kefu_turn');
    const row = rows[0];
    if (!row) {
      const found = (await q<{ version: number; mode: SessionMode; assignee: string | null }>('SELECT version, mode, assignee FROM sessions WHERE id = $1', [c.sessionId])).rows[0];
      if (!found) throw new UnknownSessionError(c.sessionId);
      if (c.baseVersion !== undefined && found.version !== c.baseVersion) throw new StaleSessionError(c.sessionId, c.baseVersion);
      throw new ModeConflictError(c.sessionId, found.mode, found.assignee);
    }
    for (const e of c.effects ?? []) await this.applyEffect(q, c.sessionId, at, e);
    if (!triedNow && (c.tried?.length ?? 0) > 0) await q(TRIED_SQL, [triedJson(c.tried!), at], 'kefu_tried');
    return { version: row.version };
  }

  private async insertMessage(
    q: Q,
    sessionId: string,
    role: string,
    at: string,
    text: string,
    message: string | null,
    clientMessageId: string | null,
    replyTo: number | null,
    agent: string | null,
  ): Promise<number> {
    const { rows } = await q<{ seq: number }>(
      `INSERT INTO messages (session_id, role, at, text, message, client_message_id, reply_to, agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
      [sessionId, role, at, text, message, clientMessageId, replyTo, agent],
    );
    return rows[0]!.seq;
  }

  private async insertEvent(q: Q, ...args: (string | null)[]): Promise<void> {
    await q('INSERT INTO events (at, type, session_id, actor, actor_id, ticket_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)', args);
  }

  private async updateTicket(q: Q, ticketId: string, status: string, at: string, note: string, by: string): Promise<void> {
    // An update of a ticket this store never saw is dropped rather than failing the user's turn.
    const r = await q('UPDATE tickets SET status = $2, updated_at = $3 WHERE id = $1', [ticketId, status, at]);
    if (r.rowCount === 1) await q('INSERT INTO ticket_notes (ticket_id, at, status, note, by) VALUES ($1, $2, $3, $4, $5)', [ticketId, at, status, note, by]);
  }

  private async applyEffect(q: Q, sessionId: string, at: string, e: StoreEffect): Promise<void> {
    switch (e.type) {
      case 'ticket_opened':
        // A ticket id given twice fails the commit (primary key) rather than hide it.
        await q(
          `INSERT INTO tickets (id, session_id, intent, kind, status, summary, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)`,
          [e.ticketId, sessionId, e.intent, e.kind ?? (e.intent === 'complaint' ? 'complaint' : 'service'), e.summary, at],
        );
        return;
      case 'ticket_updated':
        await this.updateTicket(q, e.ticketId, e.status, at, e.note, e.by ?? 'bot');
        return;
      case 'rating':
        await q(
          `INSERT INTO ratings (session_id, ticket_id, score, at, agent) VALUES ($1, $2, $3, $4, (SELECT rating_for FROM sessions WHERE id = $1))`,
          [sessionId, e.ticketId, e.score, at],
        );
        await q('UPDATE sessions SET rating_for = NULL WHERE id = $1', [sessionId]);
        return;
      case 'follow_up':
        await q('INSERT INTO follow_ups (session_id, ticket_id, due_at, message) VALUES ($1, $2, $3, $4)', [sessionId, e.ticketId, e.dueAt, JSON.stringify(e.message)]);
        return;
      case 'handover':
        await q(
          `INSERT INTO handovers (session_id, ticket_id, intent, reason, at, status)
           VALUES ($1, $2::text, (SELECT intent FROM tickets WHERE id = $2::text), $3, $4, 'waiting')`,
          [sessionId, e.ticketId, e.reason, at],
        );
        return;
      case 'callback':
        await q(
          `INSERT INTO callbacks (session_id, ticket_id, phone, preferred_time, reason, status, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)`,
          [sessionId, e.ticketId, e.phone, e.preferredTime, e.reason, at],
        );
        return;
      case 'handoff_assigned':
        await q(
          `UPDATE handovers SET status = 'assigned', agent = $1, assigned_at = coalesce(assigned_at, $2)
           WHERE session_id = $3 AND status IN ('waiting', 'assigned')`,
          [e.agent, at, sessionId],
        );
        return;
      case 'handoff_requeued':
        await q(`UPDATE handovers SET status = 'waiting', agent = NULL WHERE session_id = $1 AND status = 'assigned'`, [sessionId]);
        return;
      case 'handoff_closed':
        await q(`UPDATE handovers SET status = 'closed', closed_at = $1, resolution = $2 WHERE session_id = $3 AND status IN ('waiting', 'assigned')`, [
          at,
          e.resolution,
          sessionId,
        ]);
        await q('UPDATE sessions SET rating_for = $1 WHERE id = $2', [e.agent, sessionId]);
        return;
      case 'handoff_cancelled':
        await q(`UPDATE handovers SET status = $1, closed_at = $2, resolution = NULL WHERE session_id = $3 AND status IN ('waiting', 'assigned')`, [
          e.status,
          at,
          sessionId,
        ]);
        return;
      case 'note':
        await q('INSERT INTO notes (session_id, agent, text, at) VALUES ($1, $2, $3, $4)', [sessionId, e.agent, e.text, at]);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  async touchSession(id: string, now: Date): Promise<void> {
    await this.rows('UPDATE sessions SET last_active_at = $1 WHERE id = $2', [now.toISOString(), id]);
  }

  async reserveTicketNumbers(day: string, count: number): Promise<{ first: number }> {
    // One upserted row per day: concurrent reservations (from any process) queue on its row lock.
    const [row] = await this.rows<{ n: number }>(
      `INSERT INTO ticket_counters (day, n) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET n = ticket_counters.n + excluded.n RETURNING n`,
      [day, count],
    );
    return { first: row!.n - count + 1 };
  }

  closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]> {
    const at = now.toISOString();
    return this.tx(async (q) => {
      const { rows } = await q<{ id: string; state: string }>(
        `UPDATE sessions SET status = 'closed', closed_at = $1, version = version + 1
         WHERE status = 'open' AND mode = 'bot' AND last_active_at < $2 RETURNING id, state`,
        [at, cutoff.toISOString()],
      );
      for (const r of rows) {
        const state = redact ? JSON.stringify(redact(JSON.parse(r.state) as SessionStateJson)) : r.state;
        if (state !== r.state) await q('UPDATE sessions SET state = $1 WHERE id = $2', [state, r.id]);
        await this.insertEvent(q, at, 'session_closed', r.id, 'system', null, null, JSON.stringify({ why: 'idle' }));
      }
      return rows.map((r) => r.id).sort();
    });
  }

  claimDueFollowUps(now: Date, limit = 100): Promise<DueFollowUp[]> {
    const at = now.toISOString();
    return this.tx(async (q) => {
      // SKIP LOCKED: two sweepers (two processes) claim disjoint follow-ups, never one twice.
      const { rows } = await q<{ id: number; session_id: string; ticket_id: string | null; message: string }>(
        `UPDATE follow_ups SET delivered_at = $1 WHERE id IN (
           SELECT id FROM follow_ups WHERE delivered_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id, session_id, ticket_id, message, due_at`,
        [at, limit],
      );
      rows.sort((a, b) => a.id - b.id);
      const claimed: DueFollowUp[] = [];
      for (const f of rows) {
        const message = JSON.parse(f.message) as BotMessage;
        await this.insertMessage(q, f.session_id, 'bot', at, message.text, f.message, null, null, null);
        await q(`UPDATE sessions SET status = 'open', closed_at = NULL, last_active_at = $1, version = version + 1 WHERE id = $2`, [at, f.session_id]);
        await this.insertEvent(q, at, 'follow_up_sent', f.session_id, 'system', null, f.ticket_id, '{}');
        claimed.push({ id: f.id, sessionId: f.session_id, ticketId: f.ticket_id, message });
      }
      return claimed;
    });
  }

  purgeClosedSessions(before: Date): Promise<number> {
    const cutoff = before.toISOString();
    const old = `SELECT id FROM sessions WHERE status = 'closed' AND closed_at < $1 AND purged_at IS NULL`;
    return this.tx(async (q) => {
      await q(`DELETE FROM messages WHERE session_id IN (${old})`, [cutoff]);
      await q(`DELETE FROM notes WHERE session_id IN (${old})`, [cutoff]);
      await q(`DELETE FROM follow_ups WHERE delivered_at IS NOT NULL AND session_id IN (${old})`, [cutoff]);
      await q(`UPDATE callbacks SET phone = substr(phone, 1, 3) || '****' || substr(phone, 8) WHERE status <> 'pending' AND session_id IN (${old})`, [cutoff]);
      const r = await q(`UPDATE sessions SET state = '{}', purged_at = $2 WHERE status = 'closed' AND closed_at < $1 AND purged_at IS NULL`, [
        cutoff,
        new Date().toISOString(),
      ]);
      return r.rowCount;
    });
  }

  finishCallback(id: number, status: 'done' | 'failed' | 'cancelled', by: string, now: Date, note: string): Promise<boolean> {
    const at = now.toISOString();
    return this.tx(async (q) => {
      const { rows } = await q<{ ticket_id: string }>(
        `UPDATE callbacks SET status = $1, done_at = $2, done_by = $3 WHERE id = $4 AND status = 'pending' RETURNING ticket_id`,
        [status, at, by, id],
      );
      if (!rows[0]) return false;
      const ticketStatus = status === 'done' ? 'resolved' : status === 'cancelled' ? 'closed' : 'open';
      await this.updateTicket(q, rows[0].ticket_id, ticketStatus, at, note, by);
      return true;
    });
  }

  async putAgent(a: AgentRecord): Promise<void> {
    await this.rows(
      `INSERT INTO agents (login, name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role, password_hash = excluded.password_hash, disabled = excluded.disabled`,
      [a.login, a.name, a.role, a.passwordHash, a.disabled, a.createdAt],
    );
  }

  async createDeskLogin(l: DeskLogin): Promise<void> {
    await this.rows('INSERT INTO desk_logins (token_hash, login, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      l.tokenHash,
      l.login,
      l.csrf,
      l.createdAt,
      l.expiresAt,
    ]);
  }

  async deleteDeskLogin(tokenHash: string): Promise<void> {
    await this.rows('DELETE FROM desk_logins WHERE token_hash = $1', [tokenHash]);
  }

  async deleteDeskLoginsOf(login: string): Promise<void> {
    await this.rows('DELETE FROM desk_logins WHERE login = $1', [login]);
  }

  async audit(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.rows('INSERT INTO audit (at, agent, action, session_id, ticket_id, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
      entry.at,
      entry.agent,
      entry.action,
      entry.sessionId,
      entry.ticketId,
      entry.detail,
    ]);
  }

  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.rows('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the last call found PostgreSQL away. */
  get unreachable(): boolean {
    return this.failing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
