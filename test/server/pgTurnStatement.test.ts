/**
 * PostgreSQL writes a plain turn as one statement (the guarded session
 * update with its messages, events and tickets' `tried` as CTEs): what the
 * contract suite does not pin down about it — several replies numbered after
 * the user's message and found again by its client id, messages without a
 * user message, events in order, and a refused guard writing nothing at all.
 * A throw-away PostgreSQL, a fresh database per test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../server/analytics/events.js';
import { PgStore } from '../../server/store/pgStore.js';
import { StaleSessionError, type Commit } from '../../server/store/types.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

const T0 = new Date('2026-11-24T02:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const SID = 's-batch-000001';

let server: TestPostgres;
const stores: PgStore[] = [];
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server?.stop();
});

async function withSession(): Promise<PgStore> {
  const store = await PgStore.open(await server.createDatabase());
  stores.push(store);
  await store.commit({ sessionId: SID, now: T0, create: { state: { node: 'start' }, lang: 'zh', welcome: [{ id: 'w1', text: '您好' }, { id: 'w2', text: '请问有什么可以帮您？' }] }, baseVersion: 0 });
  return store;
}

const event = (type: 'queued' | 'user_to_agent', s: number): AnalyticsEvent => ({ type, at: at(s).toISOString(), sessionId: SID, actor: 'system', data: {} });

describe('a PostgreSQL turn in one statement', () => {
  it('numbers the replies after the user message, in order, and finds them again by its client id', async () => {
    const store = await withSession();
    const turn: Commit = {
      sessionId: SID,
      now: at(1),
      baseVersion: 1,
      state: { node: 'n1' },
      user: { text: '手机开不了机', clientMessageId: 'c1' },
      messages: [
        { role: 'system', message: { id: 'r0', text: '目前广东地区移动网络出现故障', from: 'system' } },
        { role: 'bot', message: { id: 'r1', text: '请先充电' } },
        { role: 'bot', message: { id: 'r2', text: '再长按电源键' } },
      ],
      tried: [
        { ticketId: 'T-none', summary: 'a ticket this store never saw' },
      ],
      events: [event('user_to_agent', 1), event('queued', 1)],
    };
    expect(await store.commit(turn)).toEqual({ version: 2 });
    expect((await store.transcript(SID)).map((e) => `${e.role}:${e.text}`)).toEqual(['bot:您好', 'bot:请问有什么可以帮您？', 'user:手机开不了机', 'system:目前广东地区移动网络出现故障', 'bot:请先充电', 'bot:再长按电源键']);
    expect((await store.findTurn(SID, 'c1'))?.map((m) => m.id)).toEqual(['r0', 'r1', 'r2']);
    expect((await store.events(T0, at(10))).filter((e) => e.sessionId === SID).map((e) => e.type)).toEqual(['user_to_agent', 'queued']);
    expect((await store.getSession(SID))?.state).toEqual({ node: 'n1' });
  });

  it('writes an agent’s message without a user message, and nothing at all when the guard refuses', async () => {
    const store = await withSession();
    await store.commit({ sessionId: SID, now: at(1), messages: [{ role: 'agent', agent: 'wang', message: { id: 'a1', text: '您好，我是小王', from: 'agent', agentName: '小王' } }], active: false });
    expect((await store.transcript(SID)).at(-1)).toMatchObject({ role: 'agent', text: '您好，我是小王', message: { agentName: '小王' } });
    const before = await store.transcript(SID);
    await expect(
      store.commit({ sessionId: SID, now: at(2), baseVersion: 1, state: { node: 'stale' }, user: { text: 'stale' }, messages: [{ role: 'bot', message: { id: 'x', text: 'x' } }], events: [event('queued', 2)] }),
    ).rejects.toBeInstanceOf(StaleSessionError);
    expect(await store.transcript(SID)).toEqual(before);
    expect((await store.events(T0, at(10))).filter((e) => e.sessionId === SID)).toEqual([]);
    expect((await store.getSession(SID))?.state).toEqual({ node: 'start' });
  });
});
