/**
 * The default store: one SQLite file (better-sqlite3, WAL). Every turn is one
 * transaction, so a crash either keeps a user message with all its replies,
 * state and effects, or none of them.
 *
 * `synchronous = NORMAL` in WAL mode survives a crash of the process (kill -9)
 * without losing a committed turn; only a power cut or kernel crash can lose
 * the last few — the price of not waiting for fsync on every message.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { Effect, SessionStateJson, TicketStatus } from '../bot.types.js';
import type { BotMessage, TranscriptEntry } from '../protocol.js';
import { migrate, SchemaVersionError } from './sqliteSchema.js';
import { startWalCheckpointer, type WalCheckpointer } from './walCheckpointer.js';
import { TicketLeases } from './ticketLeases.js';
import {
  DuplicateTurnError,
  StaleSessionError,
  UnknownSessionError,
  type DueFollowUp,
  type NewSession,
  type RatingRecord,
  type SessionRecord,
  type SessionStatus,
  type SessionStore,
  type TicketRecord,
  type TurnCommit,
} from './types.js';

interface SessionRow {
  id: string;
  status: SessionStatus;
  state: string;
  version: number;
  created_at: string;
  last_active_at: string;
  closed_at: string | null;
}

interface PendingTurn {
  turn: TurnCommit;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface MessageRow {
  role: 'user' | 'bot';
  at: string;
  text: string;
  message: string | null;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export interface SqliteStoreOptions {
  /** How often the worker checkpoints the WAL (default 1 s). */
  checkpointIntervalMs?: number;
  /** Ticket numbers reserved per write to the shared counter (default 20). */
  ticketBlock?: number;
  /** Background failures (checkpoints); the store keeps working. */
  onError?: (e: Error) => void;
}

/** The database at DB_PATH cannot be opened or upgraded; the message names the path and the reason in plain words. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`cannot open the database at DB_PATH=${path}: ${DatabaseOpenError.reason(cause)}`);
    this.name = 'DatabaseOpenError';
  }

  private static reason(e: unknown): string {
    if (e instanceof SchemaVersionError) return e.message;
    const code = e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
    const message = e instanceof Error ? e.message : String(e);
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return 'no permission to create its directory';
      case 'EROFS':
        return 'the file system is read-only';
      case 'ENOTDIR':
      case 'EEXIST':
        return 'a part of the path is a file, not a directory';
      case 'SQLITE_CANTOPEN':
        return 'the file cannot be opened or created (is it a directory, or is its directory not writable?)';
      case 'SQLITE_READONLY':
      case 'SQLITE_READONLY_DIRECTORY':
        return 'the file or its directory is read-only';
      case 'SQLITE_NOTADB':
      case 'SQLITE_CORRUPT':
        return 'the file is not a kefu database (not SQLite, or damaged)';
      case 'SQLITE_BUSY':
        return 'another process holds it locked';
      default:
        return message;
    }
  }
}

export class SqliteStore implements SessionStore {
  private readonly db: Database;
  private readonly q: Record<string, Statement>;
  private readonly writeTurnInSavepoint: (t: TurnCommit) => void;
  private readonly writeBatch: (batch: PendingTurn[]) => void;
  private readonly checkpointer: WalCheckpointer | null = null;
  private pending: PendingTurn[] = [];
  private readonly ticketNumbers: TicketLeases;

  /** Opens (creating file, directory and schema as needed) the database at `path`, or `:memory:`. Throws DatabaseOpenError. */
  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.db = SqliteStore.open(path);
    if (path !== ':memory:') {
      // Checkpoints run on a worker (see walCheckpointer.ts); the committing connection only
      // checkpoints itself if that worker falls far behind (~200 MB of WAL).
      this.db.pragma('wal_autocheckpoint = 50000');
      this.checkpointer = startWalCheckpointer(path, options.checkpointIntervalMs ?? 1000, (message) =>
        options.onError?.(new Error(`WAL checkpoint failed: ${message}`)),
      );
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.q = {
      insertSession: p(
        `INSERT INTO sessions (id, status, state, created_at, last_active_at) VALUES (?, 'open', ?, ?, ?)`,
      ),
      getSession: p('SELECT * FROM sessions WHERE id = ?'),
      touch: p('UPDATE sessions SET last_active_at = ? WHERE id = ?'),
      setState: p('UPDATE sessions SET state = ? WHERE id = ?'),
      // The version guard is the whole optimistic-concurrency check: no read before the write.
      saveState: p(
        `UPDATE sessions SET state = ?, last_active_at = ?, version = version + 1
         WHERE id = ? AND version = coalesce(?, version)`,
      ),
      sessionVersion: p('SELECT version FROM sessions WHERE id = ?'),
      insertMessage: p(
        `INSERT INTO messages (session_id, role, at, text, message, client_message_id, reply_to)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      findUserMessage: p('SELECT seq FROM messages WHERE session_id = ? AND client_message_id = ?'),
      repliesTo: p('SELECT message FROM messages WHERE reply_to = ? ORDER BY seq'),
      transcript: p('SELECT role, at, text, message FROM messages WHERE session_id = ? ORDER BY seq'),
      openTicket: p(
        `INSERT INTO tickets (id, session_id, intent, status, summary, created_at, updated_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ),
      updateTicket: p('UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?'),
      addTried: p(
        `UPDATE tickets SET tried = json_insert(tried, '$[#]', @summary), updated_at = @at
         WHERE id = @id AND NOT EXISTS (SELECT 1 FROM json_each(tickets.tried) WHERE value = @summary)`,
      ),
      insertNote: p('INSERT INTO ticket_notes (ticket_id, at, status, note) VALUES (?, ?, ?, ?)'),
      tickets: p('SELECT * FROM tickets WHERE session_id = ? ORDER BY created_at, id'),
      notes: p('SELECT at, status, note FROM ticket_notes WHERE ticket_id = ? ORDER BY id'),
      insertRating: p('INSERT INTO ratings (session_id, ticket_id, score, at) VALUES (?, ?, ?, ?)'),
      ratings: p('SELECT session_id, ticket_id, score, at FROM ratings WHERE session_id = ? ORDER BY id'),
      insertFollowUp: p('INSERT INTO follow_ups (session_id, ticket_id, due_at, message) VALUES (?, ?, ?, ?)'),
      dueFollowUps: p(
        `SELECT id, session_id, message FROM follow_ups
         WHERE delivered_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
      ),
      markDelivered: p('UPDATE follow_ups SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL'),
      // A check-in makes the session active again, reopening it if it was closed as idle.
      reopen: p(`UPDATE sessions SET status = 'open', closed_at = NULL, last_active_at = ? WHERE id = ?`),
      insertHandover: p('INSERT INTO handovers (session_id, ticket_id, reason, at) VALUES (?, ?, ?, ?)'),
      closeIdle: p(
        `UPDATE sessions SET status = 'closed', closed_at = ?, version = version + 1
         WHERE status = 'open' AND last_active_at < ? RETURNING id, state`,
      ),
    };
    this.ticketNumbers = new TicketLeases(this.db, Math.max(1, Math.floor(options.ticketBlock ?? 20)));
    this.writeTurnInSavepoint = this.db.transaction((t: TurnCommit) => this.writeTurn(t));
    this.writeBatch = this.db.transaction((batch: PendingTurn[]) => {
      for (const p of batch) this.writeTurn(p.turn);
    });
  }

  /** The connection, configured and migrated; every failure on the way is a DatabaseOpenError. */
  private static open(path: string): Database {
    let db: Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new BetterSqlite3(path);
      // Several kefu processes may share the file; wait for a writer instead of failing.
      db.pragma('busy_timeout = 5000');
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return db;
    } catch (e) {
      if (db?.open) db.close();
      throw new DatabaseOpenError(path, e);
    }
  }

  /** The statements of one turn; runs inside a transaction (or a savepoint) opened by the caller. */
  private writeTurn(t: TurnCommit): void {
    const at = t.now.toISOString();
    if (this.q.saveState!.run(JSON.stringify(t.state), at, t.sessionId, t.baseVersion ?? null).changes !== 1) {
      if (this.q.sessionVersion!.get(t.sessionId) === undefined) throw new UnknownSessionError(t.sessionId);
      throw new StaleSessionError(t.sessionId, t.baseVersion!);
    }
    const userSeq = this.q.insertMessage!.run(t.sessionId, 'user', at, t.userText, null, t.clientMessageId ?? null, null)
      .lastInsertRowid;
    for (const m of t.replies) this.q.insertMessage!.run(t.sessionId, 'bot', at, m.text, JSON.stringify(m), null, userSeq);
    for (const e of t.effects) this.applyEffect(t.sessionId, at, e);
    for (const { ticketId, summary } of t.tried ?? []) this.q.addTried!.run({ id: ticketId, summary, at });
  }

  async createSession(s: NewSession): Promise<void> {
    const at = s.now.toISOString();
    this.db.transaction(() => {
      this.q.insertSession!.run(s.id, JSON.stringify(s.state), at, at);
      for (const m of s.welcome) this.q.insertMessage!.run(s.id, 'bot', at, m.text, JSON.stringify(m), null, null);
    })();
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.q.getSession!.get(id) as SessionRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      state: JSON.parse(row.state) as SessionStateJson,
      version: row.version,
      createdAt: row.created_at,
      lastActiveAt: row.last_active_at,
      closedAt: row.closed_at,
    };
  }

  async touchSession(id: string, now: Date): Promise<void> {
    this.q.touch!.run(now.toISOString(), id);
  }

  async findTurn(sessionId: string, clientMessageId: string): Promise<BotMessage[] | null> {
    const row = this.q.findUserMessage!.get(sessionId, clientMessageId) as { seq: number } | undefined;
    if (!row) return null;
    const replies = this.q.repliesTo!.all(row.seq) as { message: string }[];
    return replies.map((r) => JSON.parse(r.message) as BotMessage);
  }

  /**
   * Group commit: turns arriving in the same event-loop turn are written in
   * one transaction. Under load this writes shared index pages once per batch
   * instead of once per message; every promise still resolves only after
   * COMMIT, so an ack never precedes its data.
   */
  commitTurn(t: TurnCommit): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ turn: t, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      // The common case: every turn is fine, one transaction without per-turn savepoints.
      this.writeBatch(batch);
    } catch {
      // Something failed and the whole batch was rolled back: redo it with a savepoint per
      // turn, so that one bad turn (a reused client id, a stale session) fails alone.
      this.flushOneByOne(batch);
      return;
    }
    for (const p of batch) p.resolve();
  }

  private flushOneByOne(batch: PendingTurn[]): void {
    const failures = new Map<number, unknown>();
    try {
      this.db.transaction(() => {
        batch.forEach((p, i) => {
          try {
            this.writeTurnInSavepoint(p.turn); // a nested transaction: a savepoint
          } catch (e) {
            failures.set(i, isUniqueViolation(e) && p.turn.clientMessageId ? new DuplicateTurnError(p.turn.sessionId, p.turn.clientMessageId) : e);
          }
        });
      })();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => (failures.has(i) ? p.reject(failures.get(i)) : p.resolve()));
  }

  private applyEffect(sessionId: string, at: string, e: Effect): void {
    switch (e.type) {
      case 'ticket_opened':
        this.q.openTicket!.run(e.ticketId, sessionId, e.intent, e.summary, at, at);
        return;
      case 'ticket_updated':
        // An update of a ticket this store never saw is dropped rather than failing the user's turn.
        if (this.q.updateTicket!.run(e.status, at, e.ticketId).changes === 1) {
          this.q.insertNote!.run(e.ticketId, at, e.status, e.note);
        }
        return;
      case 'rating':
        this.q.insertRating!.run(sessionId, e.ticketId, e.score, at);
        return;
      case 'follow_up':
        this.q.insertFollowUp!.run(sessionId, e.ticketId, e.dueAt, JSON.stringify(e.message));
        return;
      case 'handover':
        this.q.insertHandover!.run(sessionId, e.ticketId, e.reason, at);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  async transcript(sessionId: string): Promise<TranscriptEntry[]> {
    const rows = this.q.transcript!.all(sessionId) as MessageRow[];
    return rows.map((r) =>
      r.message === null
        ? { role: r.role, at: r.at, text: r.text }
        : { role: r.role, at: r.at, text: r.text, message: JSON.parse(r.message) as BotMessage },
    );
  }

  async tickets(sessionId: string): Promise<TicketRecord[]> {
    const rows = this.q.tickets!.all(sessionId) as {
      id: string;
      session_id: string;
      intent: string;
      status: TicketStatus;
      summary: string;
      tried: string;
      created_at: string;
      updated_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      intent: r.intent,
      status: r.status,
      summary: r.summary,
      tried: JSON.parse(r.tried) as string[],
      notes: this.q.notes!.all(r.id) as TicketRecord['notes'],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async ratings(sessionId: string): Promise<RatingRecord[]> {
    const rows = this.q.ratings!.all(sessionId) as { session_id: string; ticket_id: string | null; score: number; at: string }[];
    return rows.map((r) => ({ sessionId: r.session_id, ticketId: r.ticket_id, score: r.score, at: r.at }));
  }

  /** From a block of numbers reserved in the shared counter (see ticketLeases.ts). */
  nextTicketId(now: Date): string {
    return this.ticketNumbers.next(now);
  }

  async closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]> {
    return this.db
      .transaction(() => {
        const rows = this.q.closeIdle!.all(now.toISOString(), cutoff.toISOString()) as { id: string; state: string }[];
        if (redact) {
          for (const r of rows) {
            const state = JSON.stringify(redact(JSON.parse(r.state) as SessionStateJson));
            if (state !== r.state) this.q.setState!.run(state, r.id);
          }
        }
        return rows.map((r) => r.id);
      })
      .immediate();
  }

  async claimDueFollowUps(now: Date, limit = 100): Promise<DueFollowUp[]> {
    const at = now.toISOString();
    return this.db
      .transaction(() => {
        const due = this.q.dueFollowUps!.all(at, limit) as { id: number; session_id: string; message: string }[];
        const claimed: DueFollowUp[] = [];
        for (const f of due) {
          if (this.q.markDelivered!.run(at, f.id).changes !== 1) continue;
          const message = JSON.parse(f.message) as BotMessage;
          this.q.insertMessage!.run(f.session_id, 'bot', at, message.text, f.message, null, null);
          this.q.reopen!.run(at, f.session_id);
          claimed.push({ id: f.id, sessionId: f.session_id, message });
        }
        return claimed;
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.ticketNumbers.release();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
