/**
 * The SQLite schema as an ordered list of migrations. `schema_version` holds
 * how many have been applied; opening a database applies the missing ones in
 * one transaction, and refuses a database written by a newer kefu.
 */
import type { Database } from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    state          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    closed_at      TEXT
  );
  CREATE INDEX sessions_idle ON sessions (status, last_active_at);

  CREATE TABLE messages (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id        TEXT NOT NULL REFERENCES sessions (id),
    role              TEXT NOT NULL CHECK (role IN ('user', 'bot')),
    at                TEXT NOT NULL,
    text              TEXT NOT NULL,
    message           TEXT,             -- the whole BotMessage as JSON, for role 'bot'
    client_message_id TEXT,             -- on user messages: the idempotency key
    reply_to          INTEGER REFERENCES messages (seq)
  );
  CREATE INDEX messages_session ON messages (session_id, seq);
  CREATE UNIQUE INDEX messages_client_id ON messages (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
  CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

  CREATE TABLE tickets (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    intent     TEXT NOT NULL,
    status     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX tickets_session ON tickets (session_id);

  CREATE TABLE ticket_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    at        TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL
  );
  CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id);

  CREATE TABLE ratings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    ticket_id  TEXT,
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    at         TEXT NOT NULL
  );
  CREATE INDEX ratings_session ON ratings (session_id);

  CREATE TABLE follow_ups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   TEXT NOT NULL REFERENCES sessions (id),
    ticket_id    TEXT,
    due_at       TEXT NOT NULL,
    message      TEXT NOT NULL,
    delivered_at TEXT
  );
  CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE delivered_at IS NULL;

  CREATE TABLE handovers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    ticket_id  TEXT,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL
  );

  CREATE TABLE ticket_counters (
    day TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
  );
  `,
  // 2: a version per session, so that a process caching sessions commits optimistically.
  `
  ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: what the user was asked to try, on each ticket (a JSON array of one-line summaries).
  `
  ALTER TABLE tickets ADD COLUMN tried TEXT NOT NULL DEFAULT '[]';
  `,
  // 4: people. A session has an owner (the bot, the queue, an agent); messages have authors
  // (SQLite cannot alter a CHECK: the table is rebuilt); hand-overs get a lifecycle; agents,
  // their logins, internal notes, call-backs, the audit log and the analytics events.
  `
  ALTER TABLE sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'queued', 'agent'));
  ALTER TABLE sessions ADD COLUMN assignee TEXT;
  ALTER TABLE sessions ADD COLUMN queued_at TEXT;
  ALTER TABLE sessions ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh';
  ALTER TABLE sessions ADD COLUMN rating_for TEXT;
  ALTER TABLE sessions ADD COLUMN purged_at TEXT;
  CREATE INDEX sessions_mode ON sessions (mode, queued_at) WHERE mode <> 'bot';

  CREATE TABLE messages_v4 (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id        TEXT NOT NULL REFERENCES sessions (id),
    role              TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
    at                TEXT NOT NULL,
    text              TEXT NOT NULL,
    message           TEXT,             -- the whole message as JSON, for every role but 'user'
    client_message_id TEXT,             -- on user messages: the idempotency key
    reply_to          INTEGER REFERENCES messages_v4 (seq),
    agent             TEXT              -- the agent's login, for role 'agent'
  );
  INSERT INTO messages_v4 (seq, session_id, role, at, text, message, client_message_id, reply_to)
    SELECT seq, session_id, role, at, text, message, client_message_id, reply_to FROM messages;
  DROP TABLE messages;
  ALTER TABLE messages_v4 RENAME TO messages;
  CREATE INDEX messages_session ON messages (session_id, seq);
  CREATE UNIQUE INDEX messages_client_id ON messages (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
  CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

  ALTER TABLE tickets ADD COLUMN kind TEXT NOT NULL DEFAULT 'service';
  CREATE INDEX tickets_created ON tickets (created_at);
  ALTER TABLE ticket_notes ADD COLUMN by TEXT NOT NULL DEFAULT 'bot';
  ALTER TABLE ratings ADD COLUMN agent TEXT;

  ALTER TABLE handovers ADD COLUMN intent TEXT;
  -- Hand-overs of earlier versions reached nobody: they are history, not a queue.
  ALTER TABLE handovers ADD COLUMN status TEXT NOT NULL DEFAULT 'cancelled';
  ALTER TABLE handovers ADD COLUMN agent TEXT;
  ALTER TABLE handovers ADD COLUMN assigned_at TEXT;
  ALTER TABLE handovers ADD COLUMN closed_at TEXT;
  ALTER TABLE handovers ADD COLUMN resolution TEXT;
  CREATE INDEX handovers_session ON handovers (session_id, id);

  CREATE TABLE agents (
    login         TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
  );
  CREATE TABLE desk_logins (
    token_hash TEXT PRIMARY KEY,
    login      TEXT NOT NULL REFERENCES agents (login),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX desk_logins_login ON desk_logins (login);

  CREATE TABLE notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    agent      TEXT NOT NULL,
    text       TEXT NOT NULL,
    at         TEXT NOT NULL
  );
  CREATE INDEX notes_session ON notes (session_id, id);

  CREATE TABLE callbacks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     TEXT NOT NULL REFERENCES sessions (id),
    ticket_id      TEXT NOT NULL,
    phone          TEXT NOT NULL,   -- in full: the agent who calls back needs it
    preferred_time TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
    created_at     TEXT NOT NULL,
    done_at        TEXT,
    done_by        TEXT
  );
  CREATE INDEX callbacks_status ON callbacks (status, id);

  CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    agent      TEXT NOT NULL,
    action     TEXT NOT NULL,
    session_id TEXT,
    ticket_id  TEXT,
    detail     TEXT NOT NULL
  );
  CREATE INDEX audit_session ON audit (session_id, id);

  CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    type       TEXT NOT NULL,
    session_id TEXT NOT NULL,
    actor      TEXT NOT NULL CHECK (actor IN ('user', 'bot', 'agent', 'system')),
    actor_id   TEXT,
    ticket_id  TEXT,
    data       TEXT NOT NULL
  );
  CREATE INDEX events_at ON events (at);
  `,
  // 5: the row /readyz writes to learn whether the disk takes a turn's worth of writes again
  // (a one-page write fits in the slack a full disk leaves; a turn does not).
  `
  CREATE TABLE write_probe (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    pad BLOB NOT NULL
  );
  `,
];

/** The database was written by a newer kefu than this one. */
export class SchemaVersionError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this kefu understands (${known})`);
    this.name = 'SchemaVersionError';
  }
}

/** Brings `db` up to the current schema. */
export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) throw new SchemaVersionError(current, MIGRATIONS.length);
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    else db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
  }).immediate();
}
