/**
 * Both SessionStore implementations against the same expectations, plus what
 * only SQLite can show: persistence across a reopen, ticket ids unique across
 * two connections to one file (two processes), the schema version guard.
 */
import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../server/bot.types.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { SchemaVersionError } from '../../server/store/sqliteSchema.js';
import { DatabaseOpenError, SqliteStore } from '../../server/store/sqliteStore.js';
import {
  DuplicateTurnError,
  StaleSessionError,
  UnknownSessionError,
  type SessionStore,
  type TurnCommit,
} from '../../server/store/types.js';
import { tempDbPath } from '../helpers/startServer.js';

const T0 = new Date('2026-11-24T02:00:00.000Z'); // 10:00 in Beijing
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const msg = (id: string, text: string) => ({ id, text });

function turn(sessionId: string, overrides: Partial<TurnCommit> = {}): TurnCommit {
  return {
    sessionId,
    now: at(1),
    state: { node: 'n1' },
    userText: '手机开不了机',
    replies: [msg('r1', '请先充电')],
    effects: [],
    ...overrides,
  };
}

const stores: [string, () => SessionStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', () => new SqliteStore(tempDbPath())],
];

describe.each(stores)('%s', (_name, make) => {
  async function withSession(id = 's-000000001') {
    const store = make();
    await store.createSession({ id, state: { node: 'start' }, now: T0, welcome: [msg('w1', '您好')] });
    return store;
  }

  it('creates a session with its welcome as the first transcript entry', async () => {
    const store = await withSession();
    expect(await store.getSession('s-000000001')).toMatchObject({
      id: 's-000000001',
      status: 'open',
      state: { node: 'start' },
      createdAt: T0.toISOString(),
      lastActiveAt: T0.toISOString(),
      closedAt: null,
    });
    expect(await store.transcript('s-000000001')).toEqual([
      { role: 'bot', at: T0.toISOString(), text: '您好', message: msg('w1', '您好') },
    ]);
    expect(await store.getSession('nope')).toBeNull();
  });

  it('commits a turn: state, user message, replies, activity time', async () => {
    const store = await withSession();
    await store.commitTurn(turn('s-000000001', { clientMessageId: 'c1' }));
    expect(await store.getSession('s-000000001')).toMatchObject({ state: { node: 'n1' }, lastActiveAt: at(1).toISOString() });
    expect((await store.transcript('s-000000001')).map((e) => [e.role, e.text])).toEqual([
      ['bot', '您好'],
      ['user', '手机开不了机'],
      ['bot', '请先充电'],
    ]);
    expect(await store.findTurn('s-000000001', 'c1')).toEqual([msg('r1', '请先充电')]);
    expect(await store.findTurn('s-000000001', 'c2')).toBeNull();
  });

  it('refuses a reused client message id and keeps the first turn only', async () => {
    const store = await withSession();
    await store.commitTurn(turn('s-000000001', { clientMessageId: 'c1' }));
    await expect(store.commitTurn(turn('s-000000001', { clientMessageId: 'c1', state: { node: 'n2' } }))).rejects.toBeInstanceOf(
      DuplicateTurnError,
    );
    expect((await store.getSession('s-000000001'))?.state).toEqual({ node: 'n1' });
    expect(await store.transcript('s-000000001')).toHaveLength(3);
  });

  it('bumps the version on every commit and on closing, and refuses a commit based on an old version', async () => {
    const store = await withSession();
    expect(await store.getSession('s-000000001')).toMatchObject({ version: 0 });
    await store.commitTurn(turn('s-000000001', { baseVersion: 0 }));
    await store.commitTurn(turn('s-000000001', { state: { node: 'n2' } })); // no base version: unconditional
    expect(await store.getSession('s-000000001')).toMatchObject({ version: 2, state: { node: 'n2' } });
    await expect(store.commitTurn(turn('s-000000001', { baseVersion: 1, userText: 'stale' }))).rejects.toBeInstanceOf(
      StaleSessionError,
    );
    expect(await store.getSession('s-000000001')).toMatchObject({ version: 2, state: { node: 'n2' } });
    expect((await store.transcript('s-000000001')).map((e) => e.text)).not.toContain('stale');
    await store.closeIdleSessions(at(10), at(11));
    expect(await store.getSession('s-000000001')).toMatchObject({ version: 3, status: 'closed' });
    await expect(store.commitTurn(turn('s-000000001', { baseVersion: 2 }))).rejects.toBeInstanceOf(StaleSessionError);
  });

  it('refuses a turn for an unknown session, storing nothing', async () => {
    const store = make();
    await expect(store.commitTurn(turn('ghost-session'))).rejects.toBeInstanceOf(UnknownSessionError);
    expect(await store.transcript('ghost-session')).toEqual([]);
  });

  it('records tickets with their notes, ratings, and ignores updates of unknown tickets', async () => {
    const store = await withSession();
    const effects: Effect[] = [
      { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' },
      { type: 'handover', ticketId: 'T20261124-0001', reason: 'asked for a human' },
    ];
    await store.commitTurn(turn('s-000000001', { effects }));
    await store.commitTurn(
      turn('s-000000001', {
        now: at(2),
        effects: [
          { type: 'ticket_updated', ticketId: 'T20261124-0001', status: 'resolved', note: '充电后开机' },
          { type: 'ticket_updated', ticketId: 'T20990101-0001', status: 'closed', note: 'nobody' },
          { type: 'rating', ticketId: 'T20261124-0001', score: 5 },
        ],
      }),
    );
    expect(await store.tickets('s-000000001')).toEqual([
      {
        id: 'T20261124-0001',
        sessionId: 's-000000001',
        intent: 'wont_boot',
        status: 'resolved',
        summary: '开不了机',
        tried: [],
        notes: [{ at: at(2).toISOString(), status: 'resolved', note: '充电后开机' }],
        createdAt: at(1).toISOString(),
        updatedAt: at(2).toISOString(),
      },
    ]);
    expect(await store.ratings('s-000000001')).toEqual([
      { sessionId: 's-000000001', ticketId: 'T20261124-0001', score: 5, at: at(2).toISOString() },
    ]);
  });

  it('keeps on each ticket what the user was asked to try, once each, as an update', async () => {
    const store = await withSession();
    const opened: Effect = { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' };
    // Opened and tried in the same turn: the ticket exists by the time its first step is added.
    await store.commitTurn(turn('s-000000001', { effects: [opened], tried: [{ ticketId: 'T20261124-0001', summary: '请先充电 30 分钟' }] }));
    await store.commitTurn(
      turn('s-000000001', {
        now: at(3),
        tried: [
          { ticketId: 'T20261124-0001', summary: '强制重启' },
          { ticketId: 'T20261124-0001', summary: '请先充电 30 分钟' }, // the same advice again: kept once
          { ticketId: 'T20990101-0001', summary: 'a ticket this store never saw' },
        ],
      }),
    );
    expect(await store.tickets('s-000000001')).toEqual([
      expect.objectContaining({ id: 'T20261124-0001', tried: ['请先充电 30 分钟', '强制重启'], updatedAt: at(3).toISOString() }),
    ]);
  });

  it('numbers tickets per China day', () => {
    const store = make();
    expect(store.nextTicketId(T0)).toBe('T20261124-0001');
    expect(store.nextTicketId(T0)).toBe('T20261124-0002');
    // 16:30 UTC is 00:30 the next day in Beijing: a new day, a new sequence.
    expect(store.nextTicketId(new Date('2026-11-24T16:30:00Z'))).toBe('T20261125-0001');
    expect(store.nextTicketId(new Date('2026-11-24T15:59:59Z'))).toBe('T20261124-0003');
  });

  it('closes only sessions idle since before the cutoff, keeping their data', async () => {
    const store = await withSession('s-idle-0001');
    await store.createSession({ id: 's-busy-0001', state: {}, now: T0, welcome: [] });
    await store.commitTurn(turn('s-busy-0001', { now: at(20) }));
    expect(await store.closeIdleSessions(at(10), at(30))).toEqual(['s-idle-0001']);
    expect(await store.getSession('s-idle-0001')).toMatchObject({ status: 'closed', closedAt: at(30).toISOString() });
    expect(await store.getSession('s-busy-0001')).toMatchObject({ status: 'open' });
    expect(await store.transcript('s-idle-0001')).toHaveLength(1);
    expect(await store.closeIdleSessions(at(10), at(31))).toEqual([]);
    await store.touchSession('s-busy-0001', at(40));
    expect(await store.closeIdleSessions(at(35), at(41))).toEqual([]);
  });

  it('lets the caller rewrite the state of each session it closes, and only of those', async () => {
    const store = await withSession('s-idle-0001');
    await store.createSession({ id: 's-busy-0001', state: { imei: '356938035643809' }, now: at(20), welcome: [] });
    await store.commitTurn(turn('s-idle-0001', { state: { imei: '356938035643809', node: 'n1' } }));
    const redact = (state: Record<string, unknown>) => ({ ...state, imei: 'masked' });
    expect(await store.closeIdleSessions(at(10), at(30), redact)).toEqual(['s-idle-0001']);
    expect((await store.getSession('s-idle-0001'))?.state).toEqual({ imei: 'masked', node: 'n1' });
    expect((await store.getSession('s-busy-0001'))?.state).toEqual({ imei: '356938035643809' });
  });

  it('hands out a due follow-up once and appends it to the transcript', async () => {
    const store = await withSession();
    const followUp = (dueAt: Date, text: string): Effect => ({
      type: 'follow_up',
      ticketId: null,
      dueAt: dueAt.toISOString(),
      message: msg(`f-${text}`, text),
    });
    await store.commitTurn(turn('s-000000001', { effects: [followUp(at(60), 'later'), followUp(at(5), 'soon')] }));
    expect(await store.claimDueFollowUps(at(4))).toEqual([]);
    const due = await store.claimDueFollowUps(at(6));
    expect(due).toEqual([{ id: expect.any(Number), sessionId: 's-000000001', message: msg('f-soon', 'soon') }]);
    expect(await store.claimDueFollowUps(at(7))).toEqual([]);
    expect((await store.transcript('s-000000001')).at(-1)).toEqual({
      role: 'bot',
      at: at(6).toISOString(),
      text: 'soon',
      message: msg('f-soon', 'soon'),
    });
    expect((await store.claimDueFollowUps(at(61))).map((f) => f.message.text)).toEqual(['later']);
  });

  it('reopens a session closed as idle when its follow-up is delivered, so that the user can answer it', async () => {
    const store = await withSession();
    const check: Effect = { type: 'follow_up', ticketId: null, dueAt: at(60).toISOString(), message: msg('f1', '问题解决了吗？') };
    await store.commitTurn(turn('s-000000001', { effects: [check] }));
    expect(await store.closeIdleSessions(at(31), at(31))).toEqual(['s-000000001']);
    expect(await store.claimDueFollowUps(at(61))).toHaveLength(1);
    expect(await store.getSession('s-000000001')).toMatchObject({ status: 'open', closedAt: null, lastActiveAt: at(61).toISOString() });
    // Idle again for a whole TTL after the check-in: closed again.
    expect(await store.closeIdleSessions(at(61), at(70))).toEqual([]);
    expect(await store.closeIdleSessions(at(92), at(92))).toEqual(['s-000000001']);
  });
});

describe('SqliteStore only', () => {
  it('keeps everything across a reopen of the file', async () => {
    const path = tempDbPath();
    const first = new SqliteStore(path);
    await first.createSession({ id: 's-000000001', state: { node: 'start' }, now: T0, welcome: [msg('w1', '您好')] });
    await first.commitTurn(turn('s-000000001', { clientMessageId: 'c1' }));
    expect(first.nextTicketId(T0)).toBe('T20261124-0001');
    await first.close();

    const second = new SqliteStore(path);
    expect((await second.getSession('s-000000001'))?.state).toEqual({ node: 'n1' });
    expect(await second.transcript('s-000000001')).toHaveLength(3);
    expect(await second.findTurn('s-000000001', 'c1')).toEqual([msg('r1', '请先充电')]);
    expect(second.nextTicketId(T0)).toBe('T20261124-0002');
    await second.close();
  });

  it('gives unique ticket ids to two connections sharing one file, each reserving a block at a time', async () => {
    const path = tempDbPath();
    const a = new SqliteStore(path, { ticketBlock: 10 });
    const b = new SqliteStore(path, { ticketBlock: 10 });
    const ids = Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).nextTicketId(T0));
    expect(new Set(ids).size).toBe(50);
    expect(ids.slice(0, 4)).toEqual(['T20261124-0001', 'T20261124-0011', 'T20261124-0002', 'T20261124-0012']);
    // b reserved last: its close gives its unused numbers back, a's cannot be given back any more.
    await a.close();
    await b.close();
    const c = new SqliteStore(path);
    expect(c.nextTicketId(T0)).toBe('T20261124-0056');
    await c.close();
  });

  it('skips the rest of a reserved block after a crash, never reusing a number', async () => {
    const path = tempDbPath();
    const crashed = new SqliteStore(path, { ticketBlock: 20 });
    expect(crashed.nextTicketId(T0)).toBe('T20261124-0001');
    // No close(): as after kill -9. A second process starts after the reserved block.
    const next = new SqliteStore(path, { ticketBlock: 20 });
    expect(next.nextTicketId(T0)).toBe('T20261124-0021');
    await next.close();
    await crashed.close();
  });

  it('runs in WAL mode with foreign keys, and refuses a newer schema naming DB_PATH', async () => {
    const path = tempDbPath();
    await new SqliteStore(path).close();
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: 3 });
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    const refused = (() => {
      try {
        new SqliteStore(path);
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DatabaseOpenError);
    expect((refused as DatabaseOpenError).cause).toBeInstanceOf(SchemaVersionError);
    expect((refused as Error).message).toBe(
      `cannot open the database at DB_PATH=${path}: database schema version 99 is newer than this kefu understands (3)`,
    );
  });

  it('upgrades a database of the first schema, keeping its sessions, transcripts and tickets', async () => {
    const path = tempDbPath();
    const old = new BetterSqlite3(path);
    // Version 1 as the first kefu wrote it (no session versions, no tried steps).
    old.exec(`
      CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
      CREATE TABLE sessions (id TEXT PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('open', 'closed')), state TEXT NOT NULL,
        created_at TEXT NOT NULL, last_active_at TEXT NOT NULL, closed_at TEXT);
      CREATE INDEX sessions_idle ON sessions (status, last_active_at);
      CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions (id),
        role TEXT NOT NULL CHECK (role IN ('user', 'bot')), at TEXT NOT NULL, text TEXT NOT NULL, message TEXT,
        client_message_id TEXT, reply_to INTEGER REFERENCES messages (seq));
      CREATE INDEX messages_session ON messages (session_id, seq);
      CREATE UNIQUE INDEX messages_client_id ON messages (session_id, client_message_id) WHERE client_message_id IS NOT NULL;
      CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;
      CREATE TABLE tickets (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions (id), intent TEXT NOT NULL,
        status TEXT NOT NULL, summary TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX tickets_session ON tickets (session_id);
      CREATE TABLE ticket_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id TEXT NOT NULL REFERENCES tickets (id),
        at TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL);
      CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id);
      CREATE TABLE ratings (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions (id),
        ticket_id TEXT, score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5), at TEXT NOT NULL);
      CREATE INDEX ratings_session ON ratings (session_id);
      CREATE TABLE follow_ups (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions (id),
        ticket_id TEXT, due_at TEXT NOT NULL, message TEXT NOT NULL, delivered_at TEXT);
      CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE delivered_at IS NULL;
      CREATE TABLE handovers (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions (id),
        ticket_id TEXT, reason TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE ticket_counters (day TEXT PRIMARY KEY, n INTEGER NOT NULL);
      INSERT INTO sessions VALUES ('s-000000001', 'open', '{"node":"n1"}', '${T0.toISOString()}', '${T0.toISOString()}', NULL);
      INSERT INTO messages (session_id, role, at, text) VALUES ('s-000000001', 'user', '${T0.toISOString()}', '手机开不了机');
      INSERT INTO tickets VALUES ('T20261124-0001', 's-000000001', 'wont_boot', 'open', '手机开不了机',
        '${T0.toISOString()}', '${T0.toISOString()}');
      INSERT INTO ticket_counters VALUES ('2026-11-24', 1);
    `);
    old.close();

    const store = new SqliteStore(path);
    expect(await store.getSession('s-000000001')).toMatchObject({ status: 'open', version: 0, state: { node: 'n1' } });
    expect((await store.transcript('s-000000001')).map((e) => e.text)).toEqual(['手机开不了机']);
    await store.commitTurn(turn('s-000000001', { baseVersion: 0, tried: [{ ticketId: 'T20261124-0001', summary: '充电 30 分钟' }] }));
    expect(await store.tickets('s-000000001')).toEqual([expect.objectContaining({ id: 'T20261124-0001', tried: ['充电 30 分钟'] })]);
    expect(store.nextTicketId(T0)).toBe('T20261124-0002');
    await store.close();
  });

  it('checkpoints the WAL into the database file from its worker, not from the committing connection', async () => {
    const path = tempDbPath();
    const store = new SqliteStore(path, { checkpointIntervalMs: 50 });
    const sizeAfterSchema = statSync(path).size;
    for (let i = 0; i < 200; i++) {
      await store.createSession({ id: `s-${String(i).padStart(9, '0')}`, state: { pad: 'x'.repeat(500) }, now: T0, welcome: [] });
    }
    // The committing connection checkpoints only past ~200 MB of WAL: growth of the file is the worker's doing.
    await expect.poll(() => statSync(path).size, { timeout: 5000 }).toBeGreaterThan(sizeAfterSchema + 50_000);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false); // the last connection to close folds the WAL in
  });

  it('works in memory with DB_PATH=:memory:', async () => {
    const store = new SqliteStore(':memory:');
    await store.createSession({ id: 's-000000001', state: {}, now: T0, welcome: [] });
    expect(await store.getSession('s-000000001')).not.toBeNull();
    await store.close();
  });
});
