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
import { SqliteStore } from '../../server/store/sqliteStore.js';
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
        notes: [{ at: at(2).toISOString(), status: 'resolved', note: '充电后开机' }],
        createdAt: at(1).toISOString(),
        updatedAt: at(2).toISOString(),
      },
    ]);
    expect(await store.ratings('s-000000001')).toEqual([
      { sessionId: 's-000000001', ticketId: 'T20261124-0001', score: 5, at: at(2).toISOString() },
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

  it('runs in WAL mode with foreign keys, and refuses a newer schema', async () => {
    const path = tempDbPath();
    await new SqliteStore(path).close();
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: 2 });
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    expect(() => new SqliteStore(path)).toThrow(SchemaVersionError);
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
