/**
 * The store contract against PostgreSQL (a throw-away server per file, a fresh
 * database per test), plus what only a networked store shows: two stores on
 * one database (two processes) never hand out one ticket number or one
 * follow-up twice, and PostgreSQL going away is UNAVAILABLE, then passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgStore } from '../../server/store/pgStore.js';
import { StoreUnavailableError, type SessionStore } from '../../server/store/types.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { storeContract } from '../server/store.test.js';

let server: TestPostgres;
const open: SessionStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await server?.stop();
});

async function freshStore(url?: string): Promise<PgStore> {
  const store = await PgStore.open(url ?? (await server.createDatabase()));
  open.push(store);
  return store;
}

storeContract('PgStore', async () => ({ store: await freshStore() }));

describe('PgStore across processes', () => {
  it('gives two stores on one database disjoint ticket numbers and each due follow-up to one of them', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([freshStore(url), freshStore(url)]);
    const blocks = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserveTicketNumbers('2026-12-03', 5)));
    const numbers = blocks.flatMap((r) => [0, 1, 2, 3, 4].map((k) => r.first + k));
    expect(new Set(numbers).size).toBe(200);
    expect(Math.max(...numbers)).toBe(200);

    const t0 = new Date('2026-12-03T02:00:00.000Z');
    for (let i = 0; i < 30; i++) {
      await a.commit({
        sessionId: `s-fu-${i}`,
        now: t0,
        create: { state: {}, lang: 'zh', welcome: [] },
        effects: [{ type: 'follow_up', ticketId: null, dueAt: t0.toISOString(), message: { id: `f${i}`, text: '问题解决了吗？' } }],
      });
    }
    const later = new Date(t0.getTime() + 60_000);
    const claims = await Promise.all([a, b, a, b].map((s) => s.claimDueFollowUps(later, 10)));
    const ids = claims.flat().map((f) => f.sessionId);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('answers StoreUnavailableError while PostgreSQL is down and serves again once it is back', async () => {
    const store = await freshStore();
    await store.commit({ sessionId: 's-away-1', now: new Date(), create: { state: {}, lang: 'zh', welcome: [] } });
    await server.halt();
    try {
      await expect(store.commit({ sessionId: 's-away-1', now: new Date(), user: { text: '在吗' } })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getSession('s-away-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.healthy()).toBe(false);
    } finally {
      await server.start();
    }
    expect(await store.healthy()).toBe(true);
    await store.commit({ sessionId: 's-away-1', now: new Date(), user: { text: '在吗' } });
    expect((await store.transcript('s-away-1')).map((e) => e.text)).toEqual(['在吗']);
  });
});
