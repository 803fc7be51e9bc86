/**
 * The PostgreSQL schema as an ordered list of migrations, like SQLite's:
 * `schema_version` holds how many have been applied. Every process applies
 * the missing ones on start, under an advisory lock, so that two processes
 * starting together migrate once; a database written by a newer kefu is refused.
 *
 * Texts are compared byte-wise (COLLATE "C"): ids and ISO times sort the same
 * as in SQLite, whatever locale the cluster was created with.
 */
import type { PoolClient } from 'pg';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id             TEXT COLLATE "C" PRIMARY KEY,
    status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    mode           TEXT NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'queued', 'agent')),
    assignee       TEXT COLLATE "C",
    queued_at      TEXT COLLATE "C",
    lang           TEXT NOT NULL DEFAULT 'zh',
    rating_for     TEXT,
    state          TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT COLLATE "C" NOT NULL,
    last_active_at TEXT COLLATE "C" NOT NULL,
    closed_at      TEXT COLLATE "C",
    purged_at      TEXT COLLATE "C"
  );
  CREATE INDEX sessions_idle ON sessions (status, last_active_at);
  CREATE INDEX sessions_mode ON sessions (mode, queued_at) WHERE mode <> 'bot';

  CREATE TABLE messages (
    seq               INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id        TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    role              TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
    at                TEXT COLLATE "C" NOT NULL,
    text              TEXT NOT NULL,
    message           TEXT,
    client_message_id TEXT COLLATE "C",
    reply_to          INTEGER REFERENCES messages (seq),
    agent             TEXT
  );
  CREATE INDEX messages_session ON messages (session_id, seq);
  CREATE UNIQUE INDEX messages_client_id ON messages (session_id, client_message_id) WHERE client_message_id IS NOT NULL;
  CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

  CREATE TABLE tickets (
    id         TEXT COLLATE "C" PRIMARY KEY,
    session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    intent     TEXT COLLATE "C" NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'service',
    status     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    tried      JSONB NOT NULL DEFAULT '[]',
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX tickets_session ON tickets (session_id);
  CREATE INDEX tickets_created ON tickets (created_at);

  CREATE TABLE ticket_notes (
    id        INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
    at        TEXT COLLATE "C" NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL,
    by        TEXT NOT NULL DEFAULT 'bot'
  );
  CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id);

  CREATE TABLE ratings (
    id         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    ticket_id  TEXT COLLATE "C",
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    at         TEXT COLLATE "C" NOT NULL,
    agent      TEXT
  );
  CREATE INDEX ratings_session ON ratings (session_id);

  CREATE TABLE follow_ups (
    id           INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id   TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    ticket_id    TEXT COLLATE "C",
    due_at       TEXT COLLATE "C" NOT NULL,
    message      TEXT NOT NULL,
    delivered_at TEXT COLLATE "C"
  );
  CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE delivered_at IS NULL;

  CREATE TABLE handovers (
    id          INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    ticket_id   TEXT COLLATE "C",
    intent      TEXT,
    reason      TEXT NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    status      TEXT NOT NULL,
    agent       TEXT,
    assigned_at TEXT COLLATE "C",
    closed_at   TEXT COLLATE "C",
    resolution  TEXT
  );
  CREATE INDEX handovers_session ON handovers (session_id, id);

  CREATE TABLE ticket_counters (
    day TEXT COLLATE "C" PRIMARY KEY,
    n   INTEGER NOT NULL
  );

  CREATE TABLE agents (
    login         TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT false,
    created_at    TEXT COLLATE "C" NOT NULL
  );
  CREATE TABLE desk_logins (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    login      TEXT COLLATE "C" NOT NULL REFERENCES agents (login),
    csrf       TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX desk_logins_login ON desk_logins (login);

  CREATE TABLE notes (
    id         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    agent      TEXT NOT NULL,
    text       TEXT NOT NULL,
    at         TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX notes_session ON notes (session_id, id);

  CREATE TABLE callbacks (
    id             INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    ticket_id      TEXT COLLATE "C" NOT NULL,
    phone          TEXT NOT NULL,
    preferred_time TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
    created_at     TEXT COLLATE "C" NOT NULL,
    done_at        TEXT COLLATE "C",
    done_by        TEXT
  );
  CREATE INDEX callbacks_status ON callbacks (status, id);

  CREATE TABLE audit (
    id         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT COLLATE "C" NOT NULL,
    agent      TEXT COLLATE "C" NOT NULL,
    action     TEXT NOT NULL,
    session_id TEXT COLLATE "C",
    ticket_id  TEXT COLLATE "C",
    detail     TEXT NOT NULL
  );
  CREATE INDEX audit_session ON audit (session_id, id);

  CREATE TABLE events (
    id         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT COLLATE "C" NOT NULL,
    type       TEXT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    actor      TEXT NOT NULL CHECK (actor IN ('user', 'bot', 'agent', 'system')),
    actor_id   TEXT,
    ticket_id  TEXT,
    data       TEXT NOT NULL
  );
  CREATE INDEX events_at ON events (at);
  `,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** The database was written by a newer kefu than this one. */
export class PgSchemaVersionError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this kefu understands (${known})`);
    this.name = 'PgSchemaVersionError';
  }
}

/** Brings the database up to the current schema, in one transaction, once across processes. */
export async function migratePg(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('kefu schema migration'))`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) throw new PgSchemaVersionError(current, MIGRATIONS.length);
    for (const sql of MIGRATIONS.slice(current)) await client.query(sql);
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [MIGRATIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
