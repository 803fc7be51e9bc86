/**
 * The store contract: every SessionStore implementation against the same
 * expectations (the memory store is the reference), plus what only SQLite
 * can show: persistence across a reopen, ticket numbers unique across two
 * connections to one file (two processes), the schema version guard, a
 * damaged file refused, a file deleted under the running store detected.
 */
import { closeSync, existsSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../server/bot.types.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { SchemaVersionError } from '../../server/store/sqliteSchema.js';
import { DatabaseOpenError, SqliteStore } from '../../server/store/sqliteStore.js';
import {
  DuplicateTurnError,
  ModeConflictError,
  StaleSessionError,
  StoreUnavailableError,
  UnknownSessionError,
  type Commit,
  type SessionStore,
} from '../../server/store/types.js';
import { tempDbPath } from '../helpers/startServer.js';

const T0 = new Date('2026-11-24T02:00:00.000Z'); // 10:00 in Beijing
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const msg = (id: string, text: string) => ({ id, text });
const SID = 's-000000001';

/** A user turn answered by the bot. */
function turn(sessionId: string, overrides: Partial<Commit> & { userText?: string; clientMessageId?: string } = {}): Commit {
  const { userText, clientMessageId, ...rest } = overrides;
  return {
    sessionId,
    now: at(1),
    state: { node: 'n1' },
    user: { text: userText ?? '手机开不了机', ...(clientMessageId ? { clientMessageId } : {}) },
    messages: [{ role: 'bot', message: msg('r1', '请先充电') }],
    ...rest,
  };
}

/** The first commit of a session: created with its welcome and first message. */
const create = (sessionId: string, now = T0, state: Record<string, unknown> = { node: 'start' }): Commit => ({
  sessionId,
  now,
  create: { state, lang: 'zh', welcome: [msg('w1', '您好')] },
  baseVersion: 0,
  active: true,
});

export type StoreMaker = () => Promise<{ store: SessionStore; done?: () => Promise<void> }>;

export const storeMakers: [string, StoreMaker][] = [
  ['MemoryStore', async () => ({ store: new MemoryStore() })],
  ['SqliteStore', async () => ({ store: new SqliteStore(tempDbPath()) })],
];

/** The whole contract, for one implementation. Exported so that other stores (PostgreSQL) run it too. */
export function storeContract(name: string, make: StoreMaker): void {
  describe(name, () => {
    async function withSession(id = SID) {
      const { store } = await make();
      await store.commit(create(id));
      return store;
    }

    it('creates a session with its first commit: welcome first, then what that commit says', async () => {
      const { store } = await make();
      expect(await store.getSession(SID)).toBeNull();
      await store.commit({ ...turn(SID, { clientMessageId: 'c1' }), create: { state: { node: 'start' }, lang: 'en', welcome: [msg('w1', 'Hello')] }, baseVersion: 0 });
      expect(await store.getSession(SID)).toMatchObject({
        id: SID,
        status: 'open',
        mode: 'bot',
        assignee: null,
        lang: 'en',
        state: { node: 'n1' },
        version: 1,
        createdAt: at(1).toISOString(),
        lastActiveAt: at(1).toISOString(),
        closedAt: null,
      });
      expect((await store.transcript(SID)).map((e) => [e.role, e.text])).toEqual([
        ['bot', 'Hello'],
        ['user', '手机开不了机'],
        ['bot', '请先充电'],
      ]);
      expect(await store.findTurn(SID, 'c1')).toEqual([msg('r1', '请先充电')]);
      expect(await store.findTurn(SID, 'c2')).toBeNull();
      // A second "create" of the same session (another process got there first) does not create it again.
      await expect(store.commit({ ...turn(SID), create: { state: {}, lang: 'zh', welcome: [] }, baseVersion: 0 })).rejects.toBeInstanceOf(StaleSessionError);
    });

    it('refuses a reused client message id and keeps the first turn only', async () => {
      const store = await withSession();
      await store.commit(turn(SID, { clientMessageId: 'c1' }));
      await expect(store.commit(turn(SID, { clientMessageId: 'c1', state: { node: 'n2' } }))).rejects.toBeInstanceOf(DuplicateTurnError);
      expect((await store.getSession(SID))?.state).toEqual({ node: 'n1' });
      expect(await store.transcript(SID)).toHaveLength(3);
    });

    it('bumps the version on every commit and on closing, and refuses a commit based on an old version', async () => {
      const store = await withSession();
      expect(await store.getSession(SID)).toMatchObject({ version: 1 });
      await store.commit(turn(SID, { baseVersion: 1 }));
      await store.commit(turn(SID, { state: { node: 'n2' } })); // no base version: unconditional
      expect(await store.getSession(SID)).toMatchObject({ version: 3, state: { node: 'n2' } });
      await expect(store.commit(turn(SID, { baseVersion: 2, userText: 'stale' }))).rejects.toBeInstanceOf(StaleSessionError);
      expect(await store.getSession(SID)).toMatchObject({ version: 3, state: { node: 'n2' } });
      expect((await store.transcript(SID)).map((e) => e.text)).not.toContain('stale');
      await store.closeIdleSessions(at(10), at(11));
      expect(await store.getSession(SID)).toMatchObject({ version: 4, status: 'closed' });
      await expect(store.commit(turn(SID, { baseVersion: 3 }))).rejects.toBeInstanceOf(StaleSessionError);
    });

    it('refuses a commit for an unknown session, storing nothing', async () => {
      const { store } = await make();
      await expect(store.commit(turn('ghost-session'))).rejects.toBeInstanceOf(UnknownSessionError);
      expect(await store.transcript('ghost-session')).toEqual([]);
    });

    it('moves a conversation between bot, queue and agent atomically: one claim wins, the other is refused', async () => {
      const store = await withSession();
      const opened: Effect = { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' };
      await store.commit(turn(SID, { now: at(2), effects: [opened, { type: 'handover', ticketId: 'T20261124-0001', reason: 'wont_boot: 开不了机' }], mode: { mode: 'queued', assignee: null } }));
      expect(await store.getSession(SID)).toMatchObject({ mode: 'queued', assignee: null, queuedAt: at(2).toISOString() });
      expect((await store.queue()).map((q) => [q.session.id, q.handoff.status, q.handoff.intent, q.handoff.ticketId])).toEqual([
        [SID, 'waiting', 'wont_boot', 'T20261124-0001'],
      ]);
      const claim = (agent: string) =>
        store.commit({
          sessionId: SID,
          now: at(3),
          expect: { modes: ['queued'] },
          mode: { mode: 'agent', assignee: agent },
          messages: [{ role: 'system', message: msg(`j-${agent}`, `${agent} joined`) }],
          effects: [{ type: 'handoff_assigned', agent }],
          active: false,
        });
      const results = await Promise.allSettled([claim('wang'), claim('li')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ModeConflictError);
      const winner = (await store.getSession(SID))!.assignee!;
      expect(['wang', 'li']).toContain(winner);
      expect(await store.queue()).toEqual([]);
      expect((await store.assigned(winner)).map((a) => [a.session.id, a.handoff.status, a.handoff.agent])).toEqual([[SID, 'assigned', winner]]);
      expect(await store.assigned('nobody')).toEqual([]);
      expect((await store.transcript(SID)).filter((e) => e.role === 'system')).toHaveLength(1);

      // The owner replies, writes a note; another agent may not reply as the owner.
      await store.commit({
        sessionId: SID,
        now: at(4),
        expect: { modes: ['agent'], assignee: winner },
        messages: [{ role: 'agent', agent: winner, message: { id: 'a1', text: '您好，我来帮您看看', from: 'agent', agentName: '小王' } }],
        effects: [{ type: 'note', agent: winner, text: '用户很着急' }],
      });
      await expect(store.commit({ sessionId: SID, now: at(4), expect: { modes: ['agent'], assignee: 'someone-else' }, messages: [] })).rejects.toBeInstanceOf(ModeConflictError);
      expect((await store.transcript(SID)).at(-1)).toMatchObject({ role: 'agent', text: '您好，我来帮您看看', message: { from: 'agent', agentName: '小王' } });
      expect((await store.notes(SID)).map((n) => [n.agent, n.text])).toEqual([[winner, '用户很着急']]);

      // Back to the queue at its place (its desk went away), claimed again, then closed: the next rating is the agent's.
      await store.commit({ sessionId: SID, now: at(5), expect: { modes: ['agent'] }, mode: { mode: 'queued', assignee: null }, effects: [{ type: 'handoff_requeued' }] });
      expect(await store.getSession(SID)).toMatchObject({ mode: 'queued', queuedAt: at(2).toISOString() });
      expect((await store.queue()).map((q) => q.handoff.status)).toEqual(['waiting']);
      await claim('zhao');
      await store.commit({
        sessionId: SID,
        now: at(6),
        expect: { modes: ['agent'], assignee: 'zhao' },
        mode: { mode: 'bot', assignee: null },
        effects: [
          { type: 'handoff_closed', agent: 'zhao', resolution: 'resolved' },
          { type: 'ticket_updated', ticketId: 'T20261124-0001', status: 'resolved', note: '已指导用户强制重启', by: 'zhao' },
        ],
      });
      expect(await store.getSession(SID)).toMatchObject({ mode: 'bot', assignee: null, queuedAt: null, ratingFor: 'zhao' });
      expect(await store.handoff(SID)).toMatchObject({ status: 'closed', agent: 'zhao', resolution: 'resolved', assignedAt: at(3).toISOString(), closedAt: at(6).toISOString() });
      await store.commit(turn(SID, { now: at(7), effects: [{ type: 'rating', ticketId: 'T20261124-0001', score: 4 }] }));
      await store.commit(turn(SID, { now: at(8), effects: [{ type: 'rating', ticketId: null, score: 5 }] }));
      expect((await store.ratings(SID)).map((r) => [r.score, r.agent])).toEqual([
        [4, 'zhao'],
        [5, null],
      ]);
      expect((await store.ticket('T20261124-0001'))?.notes.at(-1)).toEqual({ at: at(6).toISOString(), status: 'resolved', note: '已指导用户强制重启', by: 'zhao' });
    });

    it('does not close a conversation as idle while it waits for or is served by an agent', async () => {
      const store = await withSession();
      await store.commit(turn(SID, { effects: [{ type: 'handover', ticketId: null, reason: '转人工' }], mode: { mode: 'queued', assignee: null } }));
      expect(await store.closeIdleSessions(at(100), at(100))).toEqual([]);
      expect(await store.getSession(SID)).toMatchObject({ status: 'open', mode: 'queued' });
    });

    it('records tickets of every kind with their notes, finds them, and ignores updates of unknown tickets', async () => {
      const store = await withSession();
      await store.commit(
        turn(SID, {
          effects: [
            { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' },
            { type: 'ticket_opened', ticketId: 'T20261124-0002', intent: 'complaint', summary: '客服一直不回复' },
          ],
        }),
      );
      await store.commit(
        turn(SID, {
          now: at(2),
          effects: [
            { type: 'ticket_updated', ticketId: 'T20261124-0001', status: 'resolved', note: '充电后开机' },
            { type: 'ticket_updated', ticketId: 'T20990101-0001', status: 'closed', note: 'nobody' },
            { type: 'ticket_opened', ticketId: 'T20261124-0003', intent: 'wont_boot', kind: 'callback', summary: '请回电' },
            { type: 'callback', ticketId: 'T20261124-0003', phone: '13812345678', preferredTime: '今天下午', reason: 'wont_boot: 开不了机' },
          ],
        }),
      );
      expect((await store.tickets(SID)).map((t) => [t.id, t.kind, t.status])).toEqual([
        ['T20261124-0001', 'service', 'resolved'],
        ['T20261124-0002', 'complaint', 'open'],
        ['T20261124-0003', 'callback', 'open'],
      ]);
      expect(await store.ticket('T20261124-0001')).toEqual({
        id: 'T20261124-0001',
        sessionId: SID,
        intent: 'wont_boot',
        kind: 'service',
        status: 'resolved',
        summary: '开不了机',
        tried: [],
        notes: [{ at: at(2).toISOString(), status: 'resolved', note: '充电后开机', by: 'bot' }],
        createdAt: at(1).toISOString(),
        updatedAt: at(2).toISOString(),
      });
      expect((await store.findTickets({ kind: 'complaint' })).map((t) => t.id)).toEqual(['T20261124-0002']);
      expect((await store.findTickets({ status: 'open' })).map((t) => t.id)).toEqual(['T20261124-0003', 'T20261124-0002']);
      expect((await store.findTickets({ id: '0001' })).map((t) => t.id)).toEqual(['T20261124-0001']);
      expect((await store.findTickets({ id: '%' })).map((t) => t.id)).toEqual([]);
      expect((await store.findTickets({ intent: 'wont_boot', from: at(2).toISOString() })).map((t) => t.id)).toEqual(['T20261124-0003']);
      expect(await store.ticket('nope')).toBeNull();

      const [cb] = await store.callbacks('pending');
      expect(cb).toMatchObject({ sessionId: SID, ticketId: 'T20261124-0003', phone: '13812345678', preferredTime: '今天下午', status: 'pending' });
      expect(await store.finishCallback(cb!.id, 'done', 'wang', at(3), '已回电，用户已解决')).toBe(true);
      expect(await store.finishCallback(cb!.id, 'failed', 'li', at(4), 'again')).toBe(false);
      expect(await store.callbacks('pending')).toEqual([]);
      expect((await store.ticket('T20261124-0003'))).toMatchObject({ status: 'resolved', notes: [{ status: 'resolved', note: '已回电，用户已解决', by: 'wang' }] });
    });

    it('never hides a ticket id given twice: the commit fails and nothing of it is stored', async () => {
      const store = await withSession();
      const opened: Effect = { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' };
      await store.commit(turn(SID, { effects: [opened] }));
      await expect(store.commit(turn(SID, { userText: 'second', effects: [{ ...opened, summary: 'someone else' }] }))).rejects.toThrow();
      expect((await store.transcript(SID)).map((e) => e.text)).not.toContain('second');
      expect((await store.ticket('T20261124-0001'))?.summary).toBe('开不了机');
    });

    it('keeps on each ticket what the user was asked to try, once each, as an update', async () => {
      const store = await withSession();
      const opened: Effect = { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' };
      await store.commit(turn(SID, { effects: [opened], tried: [{ ticketId: 'T20261124-0001', summary: '请先充电 30 分钟' }] }));
      await store.commit(
        turn(SID, {
          now: at(3),
          tried: [
            { ticketId: 'T20261124-0001', summary: '强制重启' },
            { ticketId: 'T20261124-0001', summary: '请先充电 30 分钟' },
            { ticketId: 'T20990101-0001', summary: 'a ticket this store never saw' },
          ],
        }),
      );
      expect(await store.tickets(SID)).toEqual([
        expect.objectContaining({ id: 'T20261124-0001', tried: ['请先充电 30 分钟', '强制重启'], updatedAt: at(3).toISOString() }),
      ]);
    });

    it('reserves ticket numbers per day, a block at a time, never the same number twice', async () => {
      const { store } = await make();
      expect(await store.reserveTicketNumbers('2026-11-24', 20)).toEqual({ first: 1 });
      expect(await store.reserveTicketNumbers('2026-11-24', 20)).toEqual({ first: 21 });
      expect(await store.reserveTicketNumbers('2026-11-25', 5)).toEqual({ first: 1 });
      const many = await Promise.all(Array.from({ length: 10 }, () => store.reserveTicketNumbers('2026-11-24', 3)));
      expect(new Set(many.map((m) => m.first)).size).toBe(10);
      expect(Math.min(...many.map((m) => m.first))).toBe(41);
    });

    it('closes only sessions idle since before the cutoff, keeping their data, and lets the caller redact them', async () => {
      const { store } = await make();
      await store.commit(create('s-idle-0001', T0, { imei: '356938035643809', node: 'n1' }));
      await store.commit(create('s-busy-0001', at(20), { imei: '356938035643809' }));
      const redact = (state: Record<string, unknown>) => ({ ...state, imei: 'masked' });
      expect(await store.closeIdleSessions(at(10), at(30), redact)).toEqual(['s-idle-0001']);
      expect(await store.getSession('s-idle-0001')).toMatchObject({ status: 'closed', closedAt: at(30).toISOString(), state: { imei: 'masked', node: 'n1' } });
      expect(await store.getSession('s-busy-0001')).toMatchObject({ status: 'open', state: { imei: '356938035643809' } });
      expect(await store.transcript('s-idle-0001')).toHaveLength(1);
      expect(await store.closeIdleSessions(at(10), at(31))).toEqual([]);
      await store.touchSession('s-busy-0001', at(40));
      expect(await store.closeIdleSessions(at(35), at(41))).toEqual([]);
    });

    it('hands out a due follow-up once, appends it to the transcript, and reopens a session closed as idle', async () => {
      const store = await withSession();
      const followUp = (dueAt: Date, text: string): Effect => ({ type: 'follow_up', ticketId: null, dueAt: dueAt.toISOString(), message: msg(`f-${text}`, text) });
      await store.commit(turn(SID, { effects: [followUp(at(60), 'later'), followUp(at(5), 'soon')] }));
      expect(await store.claimDueFollowUps(at(4))).toEqual([]);
      expect(await store.claimDueFollowUps(at(6))).toEqual([{ id: expect.any(Number), sessionId: SID, ticketId: null, message: msg('f-soon', 'soon') }]);
      expect(await store.claimDueFollowUps(at(7))).toEqual([]);
      expect((await store.transcript(SID)).at(-1)).toEqual({ role: 'bot', at: at(6).toISOString(), text: 'soon', message: msg('f-soon', 'soon') });
      expect(await store.closeIdleSessions(at(31), at(31))).toEqual([SID]);
      expect((await store.claimDueFollowUps(at(61))).map((f) => f.message.text)).toEqual(['later']);
      expect(await store.getSession(SID)).toMatchObject({ status: 'open', closedAt: null, lastActiveAt: at(61).toISOString() });
      expect(await store.closeIdleSessions(at(61), at(70))).toEqual([]);
      expect(await store.closeIdleSessions(at(92), at(92))).toEqual([SID]);
    });

    it('purges transcripts, states and notes of sessions closed before the retention cutoff, keeping tickets, ratings and events', async () => {
      const store = await withSession();
      await store.commit(
        turn(SID, {
          effects: [
            { type: 'ticket_opened', ticketId: 'T20261124-0001', intent: 'wont_boot', summary: '开不了机' },
            { type: 'rating', ticketId: 'T20261124-0001', score: 5 },
            { type: 'note', agent: 'wang', text: '备注' },
          ],
          events: [{ type: 'queued', at: at(1).toISOString(), sessionId: SID, actor: 'system', data: {} }],
        }),
      );
      await store.commit(create('s-recent-01', at(50)));
      await store.closeIdleSessions(at(60), at(60));
      expect(await store.purgeClosedSessions(at(30))).toBe(0); // closed at 60: not yet past
      expect(await store.purgeClosedSessions(at(61))).toBe(2);
      expect(await store.purgeClosedSessions(at(62))).toBe(0);
      expect(await store.transcript(SID)).toEqual([]);
      expect(await store.notes(SID)).toEqual([]);
      expect((await store.getSession(SID))?.state).toEqual({});
      expect(await store.tickets(SID)).toHaveLength(1);
      expect(await store.ratings(SID)).toHaveLength(1);
      expect((await store.events(T0, at(100))).map((e) => e.type)).toContain('queued');
    });

    it('stores agents, desk logins, the audit log and analytics events', async () => {
      const store = await withSession();
      await store.putAgent({ login: 'wang', name: '小王', role: 'agent', passwordHash: 'h1', disabled: false, createdAt: T0.toISOString() });
      await store.putAgent({ login: 'admin', name: 'Admin', role: 'admin', passwordHash: 'h2', disabled: false, createdAt: T0.toISOString() });
      await store.putAgent({ login: 'wang', name: '王小明', role: 'agent', passwordHash: 'h3', disabled: true, createdAt: at(9).toISOString() });
      expect(await store.getAgent('wang')).toEqual({ login: 'wang', name: '王小明', role: 'agent', passwordHash: 'h3', disabled: true, createdAt: T0.toISOString() });
      expect((await store.listAgents()).map((a) => a.login)).toEqual(['admin', 'wang']);
      expect(await store.getAgent('nobody')).toBeNull();

      const login = { tokenHash: 'th1', login: 'wang', csrf: 'c1', createdAt: T0.toISOString(), expiresAt: at(60).toISOString() };
      await store.createDeskLogin(login);
      await store.createDeskLogin({ ...login, tokenHash: 'th2' });
      expect(await store.getDeskLogin('th1')).toEqual(login);
      await store.deleteDeskLogin('th1');
      expect(await store.getDeskLogin('th1')).toBeNull();
      await store.deleteDeskLoginsOf('wang');
      expect(await store.getDeskLogin('th2')).toBeNull();

      await store.audit({ at: at(1).toISOString(), agent: 'wang', action: 'claimed', sessionId: SID, ticketId: null, detail: '' });
      await store.audit({ at: at(2).toISOString(), agent: 'admin', action: 'viewed', sessionId: null, ticketId: 'T1', detail: 'x' });
      expect((await store.auditLog({ sessionId: SID })).map((a) => [a.agent, a.action])).toEqual([['wang', 'claimed']]);
      expect((await store.auditLog({})).map((a) => a.action)).toEqual(['viewed', 'claimed']);

      await store.commit(turn(SID, { events: [{ type: 'turn', at: at(1).toISOString(), sessionId: SID, actor: 'bot', data: { intent: 'lag', confidence: 1, understood: true, at: null, next: null, steps: ['accept'], lang: 'zh', channel: 'socket' } }] }));
      const events = await store.events(T0, at(2));
      expect(events).toEqual([expect.objectContaining({ id: expect.any(Number), type: 'turn', sessionId: SID, actor: 'bot', data: expect.objectContaining({ intent: 'lag', steps: ['accept'] }) })]);
      expect(await store.events(at(2), at(3))).toEqual([]);
      expect(await store.healthy()).toBe(true);
    });
  });
}

for (const [name, make] of storeMakers) storeContract(name, make);

describe('SqliteStore only', () => {
  it('keeps everything across a reopen of the file', async () => {
    const path = tempDbPath();
    const first = new SqliteStore(path);
    await first.commit(create(SID));
    await first.commit(turn(SID, { clientMessageId: 'c1' }));
    expect(await first.reserveTicketNumbers('2026-11-24', 20)).toEqual({ first: 1 });
    await first.close();

    const second = new SqliteStore(path);
    expect((await second.getSession(SID))?.state).toEqual({ node: 'n1' });
    expect(await second.transcript(SID)).toHaveLength(3);
    expect(await second.findTurn(SID, 'c1')).toEqual([msg('r1', '请先充电')]);
    // Numbers reserved before the restart are never given out again, used or not.
    expect(await second.reserveTicketNumbers('2026-11-24', 20)).toEqual({ first: 21 });
    await second.close();
  });

  it('gives unique ticket numbers to two connections sharing one file', async () => {
    const path = tempDbPath();
    const a = new SqliteStore(path);
    const b = new SqliteStore(path);
    const firsts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserveTicketNumbers('2026-11-24', 10)));
    expect(new Set(firsts.map((f) => f.first)).size).toBe(20);
    await a.close();
    await b.close();
  });

  it('runs in WAL mode with foreign keys, and refuses a newer schema naming DB_PATH', async () => {
    const path = tempDbPath();
    await new SqliteStore(path).close();
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: 5 });
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
    expect((refused as Error).message).toBe(`cannot open the database at DB_PATH=${path}: database schema version 99 is newer than this kefu understands (5)`);
  });

  it('refuses a damaged file at start, naming DB_PATH', async () => {
    const path = tempDbPath();
    const store = new SqliteStore(path);
    for (let i = 0; i < 50; i++) await store.commit(create(`s-${String(i).padStart(9, '0')}`, T0, { pad: 'x'.repeat(2000) }));
    await store.close();
    // Overwrite pages in the middle of the file, as a torn copy or a stale WAL replayed onto another file does.
    const size = statSync(path).size;
    const buf = Buffer.alloc(4096, 0xab);
    const f = openSync(path, 'r+');
    writeSync(f, buf, 0, buf.length, Math.floor(size / 2 / 4096) * 4096);
    closeSync(f);
    expect(() => new SqliteStore(path)).toThrow(new RegExp(`^cannot open the database at DB_PATH=${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*damaged`));
  });

  it('refuses commits once its file was deleted or replaced under it, and says it is not healthy', async () => {
    const path = tempDbPath();
    const store = new SqliteStore(path);
    await store.commit(create(SID));
    rmSync(path);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    await expect(store.commit(turn(SID))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.healthy()).toBe(false);
    await expect(store.reserveTicketNumbers('2026-11-24', 20)).rejects.toBeInstanceOf(StoreUnavailableError);
    // Every other write too: the desk's audit log, logins, the sweeper.
    await expect(store.audit({ at: T0.toISOString(), agent: 'wang', action: 'claimed', sessionId: SID, ticketId: null, detail: '' })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.createDeskLogin({ tokenHash: 'h', login: 'wang', csrf: 'c', createdAt: T0.toISOString(), expiresAt: T0.toISOString() })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.closeIdleSessions(T0, T0)).rejects.toBeInstanceOf(StoreUnavailableError);
    writeFileSync(path, ''); // a new, empty file in its place is not the database either
    expect(await store.healthy()).toBe(false);
    await store.close();
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
      INSERT INTO sessions VALUES ('${SID}', 'open', '{"node":"n1"}', '${T0.toISOString()}', '${T0.toISOString()}', NULL);
      INSERT INTO messages (session_id, role, at, text) VALUES ('${SID}', 'user', '${T0.toISOString()}', '手机开不了机');
      INSERT INTO tickets VALUES ('T20261124-0001', '${SID}', 'wont_boot', 'open', '手机开不了机', '${T0.toISOString()}', '${T0.toISOString()}');
      INSERT INTO handovers (session_id, ticket_id, reason, at) VALUES ('${SID}', 'T20261124-0001', 'old', '${T0.toISOString()}');
      INSERT INTO ticket_counters VALUES ('2026-11-24', 1);
    `);
    old.close();

    const store = new SqliteStore(path);
    expect(await store.getSession(SID)).toMatchObject({ status: 'open', mode: 'bot', version: 0, state: { node: 'n1' } });
    expect((await store.transcript(SID)).map((e) => e.text)).toEqual(['手机开不了机']);
    // An old hand-over reached nobody: it is history, not a waiting conversation.
    expect(await store.queue()).toEqual([]);
    expect(await store.handoff(SID)).toMatchObject({ status: 'cancelled', reason: 'old' });
    await store.commit(turn(SID, { baseVersion: 0, tried: [{ ticketId: 'T20261124-0001', summary: '充电 30 分钟' }], messages: [{ role: 'agent', agent: 'wang', message: { id: 'a1', text: '你好', from: 'agent' } }] }));
    expect(await store.tickets(SID)).toEqual([expect.objectContaining({ id: 'T20261124-0001', kind: 'service', tried: ['充电 30 分钟'] })]);
    expect((await store.transcript(SID)).map((e) => e.role)).toEqual(['user', 'user', 'agent']);
    expect(await store.reserveTicketNumbers('2026-11-24', 20)).toEqual({ first: 2 });
    await store.close();
  });

  it('checkpoints the WAL into the database file from its worker, not from the committing connection', async () => {
    const path = tempDbPath();
    const store = new SqliteStore(path, { checkpointIntervalMs: 50 });
    const sizeAfterSchema = statSync(path).size;
    for (let i = 0; i < 200; i++) await store.commit(create(`s-${String(i).padStart(9, '0')}`, T0, { pad: 'x'.repeat(500) }));
    // The committing connection checkpoints only past ~200 MB of WAL: growth of the file is the worker's doing.
    await expect.poll(() => statSync(path).size, { timeout: 5000 }).toBeGreaterThan(sizeAfterSchema + 50_000);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false); // the last connection to close folds the WAL in
  });

  it('works in memory with DB_PATH=:memory:', async () => {
    const store = new SqliteStore(':memory:');
    await store.commit(create(SID));
    expect(await store.getSession(SID)).not.toBeNull();
    await store.close();
  });
});
