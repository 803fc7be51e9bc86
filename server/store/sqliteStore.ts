/**
 * The default store: one SQLite file (better-sqlite3, WAL). Every commit is
 * one transaction (group-committed with the others of the same event-loop
 * turn), so a crash either keeps a user message with all its replies, state,
 * effects and events, or none of them.
 *
 * `synchronous = NORMAL` in WAL mode survives a crash of the process (kill -9)
 * without losing a committed turn; only a power cut or kernel crash can lose
 * the last few — the price of not waiting for fsync on every message.
 *
 * The store watches its own health: a write that fails for lack of space or
 * an I/O error, or a database file deleted or replaced under the running
 * server, makes `healthy()` false (so /readyz says not ready) and, for a
 * vanished or replaced file, refuses every write rather than acknowledging
 * into a file nobody will ever read again, and empties its WAL so that the
 * next start does not replay it onto the file now in its place.
 */
import { statSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import type { SessionStateJson } from '../bot.types.js';
import type { BotMessage } from '../protocol.js';
import { groupCommitter, type GroupCommitter } from './groupCommit.js';
import { openDatabase } from './sqliteOpen.js';
import { SqliteReads } from './sqliteReads.js';
import { startWalCheckpointer, type WalCheckpointer } from './walCheckpointer.js';
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
 * How much the readiness probe writes once the store has failed: several turns' worth
 * (a turn commits a few pages), so that the few kB a full disk still has do not pass for room.
 */
const PROBE_BYTES = 64 * 1024;

export { DatabaseOpenError } from './sqliteOpen.js';

export interface SqliteStoreOptions {
  /** How often the worker checkpoints the WAL (default 1 s). */
  checkpointIntervalMs?: number;
  /** The WAL file is emptied once it is over this size (default 16 MB), off the event loop. */
  walLimitBytes?: number;
  /** Background failures (checkpoints); the store keeps working. */
  onError?: (e: Error) => void;
}

/** The WAL's disk budget: a few seconds of writes at full load. */
export const DEFAULT_WAL_LIMIT_BYTES = 16 * 1024 * 1024;

function sqliteCode(e: unknown): string {
  return e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Failures of the file or the disk, not of one commit: the store cannot serve until they pass. */
function isStorageFailure(e: unknown): boolean {
  const code = sqliteCode(e);
  return /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN)/.test(code);
}

/** The file this connection writes to, as the file system names it. */
function fileIdentity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

export class SqliteStore extends SqliteReads implements SessionStore {
  private readonly w: Record<string, Statement>;
  private readonly committer: GroupCommitter<Commit, { version: number }>;
  private readonly writeInSavepoint: (c: Commit) => { version: number };
  private readonly checkpointer: WalCheckpointer | null = null;
  private readonly identity: string | null;
  /** The last write failed for a reason of the disk or the file; cleared by the next one that succeeds. */
  private storageFailing = false;
  /** The file was found damaged: it stays so until an operator restores it and restarts kefu. */
  private corrupt = false;
  /** The file at `path` is no longer the one this process has open; only a restart serves it. */
  private replaced = false;
  /** The WAL of the file this process has open was copied into it and emptied. */
  private walRetired = false;
  private readonly onError: (e: Error) => void;

  /** Opens (creating file, directory and schema as needed) the database at `path`, or `:memory:`. Throws DatabaseOpenError. */
  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    const db = openDatabase(path);
    super(db);
    this.onError = options.onError ?? (() => {});
    this.identity = path === ':memory:' ? null : fileIdentity(path);
    if (path !== ':memory:') {
      // Checkpoints run on a worker (see walCheckpointer.ts), which also keeps the WAL under
      // walLimitBytes; the committing connection only checkpoints itself if that worker is gone
      // (~200 MB of WAL), and cuts the file back to the limit whenever the WAL starts over.
      const limitBytes = options.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES;
      db.pragma('wal_autocheckpoint = 50000');
      db.pragma(`journal_size_limit = ${Math.floor(limitBytes)}`);
      this.checkpointer = startWalCheckpointer(path, { intervalMs: options.checkpointIntervalMs ?? 1000, limitBytes }, (message) =>
        options.onError?.(new Error(`WAL checkpoint failed: ${message}`)),
      );
    }
    const p = (sql: string) => db.prepare(sql);
    this.w = {
      insertSession: p(
        `INSERT INTO sessions (id, status, state, lang, created_at, last_active_at) VALUES (?, 'open', ?, ?, ?, ?)`,
      ),
      touch: p('UPDATE sessions SET last_active_at = ? WHERE id = ?'),
      setState: p('UPDATE sessions SET state = ? WHERE id = ?'),
      // The guards are the whole concurrency check: no read before the write.
      update: p(
        `UPDATE sessions SET
           state = coalesce(@state, state),
           lang = coalesce(@lang, lang),
           queued_at = CASE WHEN @mode = 'queued' AND mode = 'bot' THEN @at WHEN @mode = 'bot' THEN NULL ELSE queued_at END,
           mode = coalesce(@mode, mode),
           assignee = CASE WHEN @mode IS NULL THEN assignee ELSE @assignee END,
           last_active_at = CASE WHEN @active THEN @at ELSE last_active_at END,
           version = version + 1
         WHERE id = @id
           AND (@base IS NULL OR version = @base)
           AND (@modes IS NULL OR instr(@modes, ',' || mode || ',') > 0)
           AND (@checkAssignee = 0 OR assignee IS @expectedAssignee)
         RETURNING version`,
      ),
      why: p('SELECT version, mode, assignee FROM sessions WHERE id = ?'),
      insertMessage: p(
        `INSERT INTO messages (session_id, role, at, text, message, client_message_id, reply_to, agent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      openTicket: p(
        `INSERT INTO tickets (id, session_id, intent, kind, status, summary, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
      ),
      updateTicket: p('UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?'),
      addTried: p(
        `UPDATE tickets SET tried = json_insert(tried, '$[#]', @summary), updated_at = @at
         WHERE id = @id AND NOT EXISTS (SELECT 1 FROM json_each(tickets.tried) WHERE value = @summary)`,
      ),
      insertNote: p('INSERT INTO ticket_notes (ticket_id, at, status, note, by) VALUES (?, ?, ?, ?, ?)'),
      insertRating: p(
        `INSERT INTO ratings (session_id, ticket_id, score, at, agent)
         VALUES (?, ?, ?, ?, (SELECT rating_for FROM sessions WHERE id = ?))`,
      ),
      clearRatingFor: p('UPDATE sessions SET rating_for = NULL WHERE id = ?'),
      setRatingFor: p('UPDATE sessions SET rating_for = ? WHERE id = ?'),
      insertFollowUp: p('INSERT INTO follow_ups (session_id, ticket_id, due_at, message) VALUES (?, ?, ?, ?)'),
      dueFollowUps: p(
        `SELECT id, session_id, ticket_id, message FROM follow_ups
         WHERE delivered_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
      ),
      markDelivered: p('UPDATE follow_ups SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL'),
      // A check-in makes the session active again, reopening it if it was closed as idle.
      reopen: p(`UPDATE sessions SET status = 'open', closed_at = NULL, last_active_at = ?, version = version + 1 WHERE id = ?`),
      insertHandover: p(
        `INSERT INTO handovers (session_id, ticket_id, intent, reason, at, status)
         VALUES (?, ?, (SELECT intent FROM tickets WHERE id = ?), ?, ?, 'waiting')`,
      ),
      assignHandover: p(
        `UPDATE handovers SET status = 'assigned', agent = ?, assigned_at = coalesce(assigned_at, ?)
         WHERE session_id = ? AND status IN ('waiting', 'assigned')`,
      ),
      requeueHandover: p(`UPDATE handovers SET status = 'waiting', agent = NULL WHERE session_id = ? AND status = 'assigned'`),
      endHandover: p(
        `UPDATE handovers SET status = ?, closed_at = ?, resolution = ?
         WHERE session_id = ? AND status IN ('waiting', 'assigned')`,
      ),
      insertCallback: p(
        `INSERT INTO callbacks (session_id, ticket_id, phone, preferred_time, reason, status, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      ),
      insertAgentNote: p('INSERT INTO notes (session_id, agent, text, at) VALUES (?, ?, ?, ?)'),
      insertEvent: p(
        `INSERT INTO events (at, type, session_id, actor, actor_id, ticket_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      closeIdle: p(
        `UPDATE sessions SET status = 'closed', closed_at = ?, version = version + 1
         WHERE status = 'open' AND mode = 'bot' AND last_active_at < ? RETURNING id, state`,
      ),
      reserve: p(
        `INSERT INTO ticket_counters (day, n) VALUES (?, ?)
         ON CONFLICT (day) DO UPDATE SET n = n + excluded.n RETURNING n`,
      ),
      // A row that is only ever rewritten with itself: it dirties one page, which is the point.
      probe: p(`INSERT INTO write_probe (id, pad) VALUES (1, zeroblob(${PROBE_BYTES})) ON CONFLICT (id) DO UPDATE SET pad = excluded.pad`),
      finishCallback: p(`UPDATE callbacks SET status = ?, done_at = ?, done_by = ? WHERE id = ? AND status = 'pending'`),
      callbackTicket: p('SELECT ticket_id FROM callbacks WHERE id = ?'),
      putAgent: p(
        `INSERT INTO agents (login, name, role, password_hash, disabled, created_at) VALUES (@login, @name, @role, @passwordHash, @disabled, @createdAt)
         ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role, password_hash = excluded.password_hash, disabled = excluded.disabled`,
      ),
      createLogin: p('INSERT INTO desk_logins (token_hash, login, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      deleteLogin: p('DELETE FROM desk_logins WHERE token_hash = ?'),
      deleteLoginsOf: p('DELETE FROM desk_logins WHERE login = ?'),
      insertAudit: p('INSERT INTO audit (at, agent, action, session_id, ticket_id, detail) VALUES (?, ?, ?, ?, ?, ?)'),
      purgeMessages: p(`DELETE FROM messages WHERE session_id IN (SELECT id FROM sessions WHERE status = 'closed' AND closed_at < ? AND purged_at IS NULL)`),
      purgeNotes: p(`DELETE FROM notes WHERE session_id IN (SELECT id FROM sessions WHERE status = 'closed' AND closed_at < ? AND purged_at IS NULL)`),
      purgeFollowUps: p(
        `DELETE FROM follow_ups WHERE delivered_at IS NOT NULL AND session_id IN
           (SELECT id FROM sessions WHERE status = 'closed' AND closed_at < ? AND purged_at IS NULL)`,
      ),
      purgeCallbacks: p(
        `UPDATE callbacks SET phone = substr(phone, 1, 3) || '****' || substr(phone, 8) WHERE status <> 'pending' AND session_id IN
           (SELECT id FROM sessions WHERE status = 'closed' AND closed_at < ? AND purged_at IS NULL)`,
      ),
      purgeSessions: p(`UPDATE sessions SET state = '{}', purged_at = ? WHERE status = 'closed' AND closed_at < ? AND purged_at IS NULL`),
    };
    this.writeInSavepoint = db.transaction((c: Commit) => this.write(c));
    const writeAll = db.transaction((items: Commit[]) => items.map((c) => this.write(c)));
    const writeEach = db.transaction((items: Commit[]) =>
      items.map((c) => {
        try {
          return { ok: true as const, value: this.writeInSavepoint(c) };
        } catch (e) {
          return { ok: false as const, error: this.domainError(c, e) };
        }
      }),
    );
    this.committer = groupCommitter<Commit, { version: number }>({
      check: () => this.checkFile(),
      // IMMEDIATE: the write lock is taken at BEGIN, waiting (busy_timeout) for the checkpointing
      // worker's TRUNCATE, instead of a read upgraded to a write failing SQLITE_BUSY at once.
      writeAll: (items) => this.guarded(() => writeAll.immediate(items)),
      writeEach: (items) => this.guarded(() => writeEach.immediate(items)),
    });
  }

  /** Runs a write, keeping track of whether the disk and file work; storage failures become StoreUnavailableError. */
  private guarded<T>(work: () => T): T {
    this.checkFile();
    try {
      const result = work();
      this.storageFailing = false;
      return result;
    } catch (e) {
      if (isStorageFailure(e)) throw this.failing(e);
      throw e;
    }
  }

  /** Marks the store not healthy (logged once per episode, not once per message) and says so to the caller. */
  private failing(e: unknown): StoreUnavailableError {
    const code = sqliteCode(e);
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) this.corrupt = true;
    if (!this.storageFailing) this.onError(new Error(`the database cannot be written (${code}): ${(e as Error).message}; turns fail until it can`));
    this.storageFailing = true;
    return new StoreUnavailableError(`the database cannot be written (${code})`, e);
  }

  /**
   * Whether the disk takes writes again (space freed, the I/O error gone): a write of
   * PROBE_BYTES in a transaction of its own. Without it a server marked not ready would wait for a turn that its
   * load balancer no longer sends.
   */
  private probeWrite(): boolean {
    try {
      this.db
        .transaction(() => this.w.probe!.run())
        .immediate();
      this.storageFailing = false;
      return true;
    } catch {
      return false;
    }
  }

  /** A database file deleted or replaced under the server: stop acknowledging into it (and leave its WAL empty). */
  private checkFile(): void {
    if (this.identity === null || fileIdentity(this.path) === this.identity) return;
    const message = `the database file at ${this.path} was deleted or replaced while kefu was running; restart kefu`;
    if (!this.replaced) this.onError(new Error(`${message} (nothing is acknowledged until then)`));
    this.replaced = true;
    this.retireWal();
    throw new StoreUnavailableError(message);
  }

  /**
   * The WAL (found by name, `DB_PATH-wal`) still holds the latest pages of the file this process
   * has open, and the next start would replay them onto whatever file now bears the name: a backup
   * restored by renaming it over the database would come back damaged. So they are copied into the
   * file this process has open (wherever it was moved; nowhere, if it was deleted) and the WAL is
   * emptied, once. Nothing is written after that: every write checks the file first.
   */
  private retireWal(): void {
    if (this.walRetired || !this.db.open) return;
    try {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      this.walRetired = r?.busy === 0;
    } catch (e) {
      this.onError(new Error(`emptying the WAL of a replaced database failed: ${(e as Error).message}`));
    }
  }

  private domainError(c: Commit, e: unknown): unknown {
    if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE' && c.user?.clientMessageId !== undefined && String((e as Error).message).includes('messages')) {
      return new DuplicateTurnError(c.sessionId, c.user.clientMessageId);
    }
    if (isStorageFailure(e)) return this.failing(e);
    return e;
  }

  /** The statements of one commit; runs inside a transaction (or a savepoint) opened by the caller. */
  private write(c: Commit): { version: number } {
    const at = c.now.toISOString();
    if (c.create) {
      const exists = this.q.getSession!.get(c.sessionId) !== undefined;
      if (!exists) {
        this.w.insertSession!.run(c.sessionId, JSON.stringify(c.create.state), c.create.lang, at, at);
        for (const m of c.create.welcome) this.w.insertMessage!.run(c.sessionId, 'bot', at, m.text, JSON.stringify(m), null, null, null);
      }
    }
    const row = this.w.update!.get({
      id: c.sessionId,
      at,
      state: c.state === undefined ? null : JSON.stringify(c.state),
      lang: c.lang ?? null,
      mode: c.mode?.mode ?? null,
      assignee: c.mode?.assignee ?? null,
      active: c.active === false ? 0 : 1,
      base: c.baseVersion ?? null,
      modes: c.expect ? `,${c.expect.modes.join(',')},` : null,
      checkAssignee: c.expect && c.expect.assignee !== undefined ? 1 : 0,
      expectedAssignee: c.expect?.assignee ?? null,
    }) as { version: number } | undefined;
    if (!row) {
      const found = this.w.why!.get(c.sessionId) as { version: number; mode: SessionMode; assignee: string | null } | undefined;
      if (!found) throw new UnknownSessionError(c.sessionId);
      if (c.baseVersion !== undefined && found.version !== c.baseVersion) throw new StaleSessionError(c.sessionId, c.baseVersion);
      throw new ModeConflictError(c.sessionId, found.mode, found.assignee);
    }
    let userSeq: number | bigint | null = null;
    if (c.user) {
      userSeq = this.w.insertMessage!.run(c.sessionId, 'user', at, c.user.text, null, c.user.clientMessageId ?? null, null, null).lastInsertRowid;
    }
    for (const m of c.messages ?? []) {
      this.w.insertMessage!.run(c.sessionId, m.role, at, m.message.text, JSON.stringify(m.message), null, userSeq, m.agent ?? null);
    }
    for (const e of c.effects ?? []) this.applyEffect(c.sessionId, at, e);
    for (const { ticketId, summary } of c.tried ?? []) this.w.addTried!.run({ id: ticketId, summary, at });
    for (const e of c.events ?? []) {
      this.w.insertEvent!.run(e.at, e.type, e.sessionId, e.actor, e.actorId ?? null, e.ticketId ?? null, JSON.stringify(e.data));
    }
    return { version: row.version };
  }

  private applyEffect(sessionId: string, at: string, e: StoreEffect): void {
    switch (e.type) {
      case 'ticket_opened':
        // A ticket id is never given twice (the counter is checked); a conflict fails the commit rather than hide it.
        this.w.openTicket!.run(e.ticketId, sessionId, e.intent, e.kind ?? (e.intent === 'complaint' ? 'complaint' : 'service'), e.summary, at, at);
        return;
      case 'ticket_updated':
        // An update of a ticket this store never saw is dropped rather than failing the user's turn.
        if (this.w.updateTicket!.run(e.status, at, e.ticketId).changes === 1) {
          this.w.insertNote!.run(e.ticketId, at, e.status, e.note, e.by ?? 'bot');
        }
        return;
      case 'rating':
        this.w.insertRating!.run(sessionId, e.ticketId, e.score, at, sessionId);
        this.w.clearRatingFor!.run(sessionId);
        return;
      case 'follow_up':
        this.w.insertFollowUp!.run(sessionId, e.ticketId, e.dueAt, JSON.stringify(e.message));
        return;
      case 'handover':
        this.w.insertHandover!.run(sessionId, e.ticketId, e.ticketId, e.reason, at);
        return;
      case 'callback':
        this.w.insertCallback!.run(sessionId, e.ticketId, e.phone, e.preferredTime, e.reason, at);
        return;
      case 'handoff_assigned':
        this.w.assignHandover!.run(e.agent, at, sessionId);
        return;
      case 'handoff_requeued':
        this.w.requeueHandover!.run(sessionId);
        return;
      case 'handoff_closed':
        this.w.endHandover!.run('closed', at, e.resolution, sessionId);
        this.w.setRatingFor!.run(e.agent, sessionId);
        return;
      case 'handoff_cancelled':
        this.w.endHandover!.run(e.status, at, null, sessionId);
        return;
      case 'note':
        this.w.insertAgentNote!.run(sessionId, e.agent, e.text, at);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  async touchSession(id: string, now: Date): Promise<void> {
    this.guarded(() => this.w.touch!.run(now.toISOString(), id));
  }

  commit(c: Commit): Promise<{ version: number }> {
    return this.committer.submit(c);
  }

  async reserveTicketNumbers(day: string, count: number): Promise<{ first: number }> {
    // An explicit transaction: its COMMIT is checked, so a block whose reservation did not reach
    // the disk is never handed out (an autocommit RETURNING row comes back even when its commit fails).
    const n = this.guarded(() => this.db.transaction(() => (this.w.reserve!.get(day, count) as { n: number }).n).immediate());
    return { first: n - count + 1 };
  }

  async closeIdleSessions(cutoff: Date, now: Date, redact?: (state: SessionStateJson) => SessionStateJson): Promise<string[]> {
    return this.guarded(() =>
      this.db
        .transaction(() => {
          const rows = this.w.closeIdle!.all(now.toISOString(), cutoff.toISOString()) as { id: string; state: string }[];
          for (const r of rows) {
            const state = redact ? JSON.stringify(redact(JSON.parse(r.state) as SessionStateJson)) : r.state;
            if (state !== r.state) this.w.setState!.run(state, r.id);
            this.w.insertEvent!.run(now.toISOString(), 'session_closed', r.id, 'system', null, null, JSON.stringify({ why: 'idle' }));
          }
          return rows.map((r) => r.id);
        })
        .immediate(),
    );
  }

  async claimDueFollowUps(now: Date, limit = 100): Promise<DueFollowUp[]> {
    const at = now.toISOString();
    return this.guarded(() =>
      this.db
        .transaction(() => {
          const due = this.w.dueFollowUps!.all(at, limit) as { id: number; session_id: string; ticket_id: string | null; message: string }[];
          const claimed: DueFollowUp[] = [];
          for (const f of due) {
            if (this.w.markDelivered!.run(at, f.id).changes !== 1) continue;
            const message = JSON.parse(f.message) as BotMessage;
            this.w.insertMessage!.run(f.session_id, 'bot', at, message.text, f.message, null, null, null);
            this.w.reopen!.run(at, f.session_id);
            this.w.insertEvent!.run(at, 'follow_up_sent', f.session_id, 'system', null, f.ticket_id, '{}');
            claimed.push({ id: f.id, sessionId: f.session_id, ticketId: f.ticket_id, message });
          }
          return claimed;
        })
        .immediate(),
    );
  }

  async purgeClosedSessions(before: Date): Promise<number> {
    const cutoff = before.toISOString();
    return this.guarded(() =>
      this.db
        .transaction(() => {
          for (const s of ['purgeMessages', 'purgeNotes', 'purgeFollowUps', 'purgeCallbacks']) this.w[s]!.run(cutoff);
          return this.w.purgeSessions!.run(new Date().toISOString(), cutoff).changes;
        })
        .immediate(),
    );
  }

  async finishCallback(id: number, status: 'done' | 'failed' | 'cancelled', by: string, now: Date, note: string): Promise<boolean> {
    const at = now.toISOString();
    return this.guarded(() =>
      this.db.transaction(() => {
        if (this.w.finishCallback!.run(status, at, by, id).changes !== 1) return false;
        const row = this.w.callbackTicket!.get(id) as { ticket_id: string };
        const ticketStatus = status === 'done' ? 'resolved' : status === 'cancelled' ? 'closed' : 'open';
        if (this.w.updateTicket!.run(ticketStatus, at, row.ticket_id).changes === 1) this.w.insertNote!.run(row.ticket_id, at, ticketStatus, note, by);
        return true;
      })(),
    );
  }

  async putAgent(a: AgentRecord): Promise<void> {
    this.guarded(() => this.w.putAgent!.run({ ...a, disabled: a.disabled ? 1 : 0 }));
  }

  async createDeskLogin(l: DeskLogin): Promise<void> {
    this.guarded(() => this.w.createLogin!.run(l.tokenHash, l.login, l.csrf, l.createdAt, l.expiresAt));
  }

  async deleteDeskLogin(tokenHash: string): Promise<void> {
    this.guarded(() => this.w.deleteLogin!.run(tokenHash));
  }

  async deleteDeskLoginsOf(login: string): Promise<void> {
    this.guarded(() => this.w.deleteLoginsOf!.run(login));
  }

  async audit(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    this.guarded(() => this.w.insertAudit!.run(entry.at, entry.agent, entry.action, entry.sessionId, entry.ticketId, entry.detail));
  }

  async healthy(): Promise<boolean> {
    if (!this.db.open || this.corrupt) return false;
    if (this.storageFailing && !this.probeWrite()) return false;
    try {
      this.checkFile();
      this.q.ping!.get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.committer.flush();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
