/**
 * Ticket ids past 9,999 in one day, against a real kefu process: the
 * sequence grows to five digits (`T20261124-10000`), each id is stored for
 * the session that was told it, and the user's next steps (转人工) act on
 * their own ticket.
 */
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { calendarDay } from '../../server/core/ticketId.js';
import { SqliteStore } from '../../server/store/sqliteStore.js';
import { postMessage, startProcess } from '../helpers/kefuProcess.js';
import { tempDbPath } from '../helpers/startServer.js';

describe('a real kefu process on a day with more than 9,999 tickets', { timeout: 120_000 }, () => {
  it('gives well-formed five-digit ids, each stored for its own session', async () => {
    const DB_PATH = tempDbPath();
    const store = new SqliteStore(DB_PATH);
    // The day's counter as 9,998 tickets would have left it (a day's date may roll over mid-test: both days are set).
    const now = new Date();
    for (const d of new Set([calendarDay(now), calendarDay(new Date(now.getTime() + 120_000))])) await store.reserveTicketNumbers(d, 9998);
    await store.close();

    const k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
    const told = new Map<string, string>();
    try {
      for (let i = 0; i < 4; i++) {
        const res = await postMessage(k.url, { text: '手机开不了机' });
        expect(res.status).toBe(200);
        const id = (res.body.replies as { ticketId?: string }[]).find((m) => m.ticketId)?.ticketId;
        expect(id).toMatch(/^T\d{8}-\d{4,5}$/);
        told.set(id!, res.body.sessionId as string);
        expect((await postMessage(k.url, { sessionId: res.body.sessionId, text: '转人工' })).status).toBe(200);
      }
    } finally {
      await k.stop('SIGTERM');
    }
    const sequences = [...told.keys()].map((id) => Number(id.split('-')[1]));
    expect(sequences).toEqual([9999, 10000, 10001, 10002]);
    const db = new BetterSqlite3(DB_PATH, { readonly: true });
    try {
      for (const [id, sessionId] of told) {
        expect(db.prepare('SELECT session_id AS s, status FROM tickets WHERE id = ?').get(id)).toEqual({ s: sessionId, status: 'escalated' });
      }
    } finally {
      db.close();
    }
  });
});
