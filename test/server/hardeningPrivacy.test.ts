/**
 * Personal numbers against a real kefu process and its SQLite file: a mobile
 * number or IMEI written in any way the NLU still reads (circled, superscript,
 * mathematical or full-width digits, zero-width characters, soft hyphens,
 * Unicode spaces between them) is stored and logged masked — in the
 * transcript, the ticket summaries, the dialog state, the analytics events and
 * every log line. Kept in full by design: a call-back's number (for the
 * person who calls), and what an open session's dialog still needs, in its
 * state until the session is closed — which this test waits for.
 */
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { postMessage, startProcess } from '../helpers/kefuProcess.js';
import { tempDbPath } from '../helpers/startServer.js';

const PHONE = '13800138000';
const IMEI = '356938035643809';

/** The digits a reader sees, whatever their style (NFKC folds ①, ¹, 𝟏, １ to 1). */
const visibleDigits = (text: string) => text.normalize('NFKC').replace(/\D/g, '');

/** `digits` with each one written by `style`, joined by `sep`. */
const spell = (digits: string, style: (d: number) => string, sep = '') => [...digits].map((d) => style(Number(d))).join(sep);
const circled = (d: number) => (d === 0 ? '⓪' : String.fromCodePoint(0x245f + d));
const superscript = (d: number) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]!;
const mathBold = (d: number) => String.fromCodePoint(0x1d7ce + d);
const plain = (d: number) => String(d);

const CONVERSATIONS: [string, string[]][] = [
  ['circled digits', [`手机开不了机，我的手机号是${spell(PHONE, circled)}`]],
  ['superscript digits', [`手机号${spell(PHONE, superscript)}，手机很卡`]],
  ['mathematical digits (two UTF-16 units each)', [`手机被偷了 IMEI ${spell(IMEI, mathBold)}`]],
  ['zero-width characters and a soft hyphen', [`没信号，号码 138\u200b0013\u00ad8000`]],
  ['a Unicode space between every digit', [`手机开不了机 IMEI ${spell(IMEI, plain, '\u2009')}`]],
];

describe('a real kefu process and numbers spelled every way the NLU reads them', { timeout: 120_000 }, () => {
  it('stores and logs none of them in full', async () => {
    const DB_PATH = tempDbPath();
    // Sessions idle for a second are closed by the sweeper, which masks their state.
    const k = await startProcess({ DB_PATH, RATE_LIMIT: 'off', LOG_LEVEL: 'debug', SESSION_TTL: '1s', SWEEP_INTERVAL: '500ms' });
    const sessions: string[] = [];
    try {
      for (const [, lines] of CONVERSATIONS) {
        let sessionId: string | undefined;
        for (const text of lines) {
          const res = await postMessage(k.url, { ...(sessionId ? { sessionId } : {}), text });
          expect(res.status).toBe(200);
          sessionId = res.body.sessionId as string;
        }
        sessions.push(sessionId!);
      }
      // The transcript as the user's browser reads it back: the number masked where it was typed.
      for (const id of sessions) {
        const t = (await (await fetch(`${k.url}/api/sessions/${id}/transcript`)).json()) as { entries: { role: string; text: string }[] };
        const user = t.entries.filter((e) => e.role === 'user').map((e) => e.text).join('\n');
        expect(user).toContain('*');
        expect(visibleDigits(user)).not.toContain(PHONE);
        expect(visibleDigits(user)).not.toContain(IMEI);
      }
      const status = new BetterSqlite3(DB_PATH, { readonly: true });
      try {
        await expect
          .poll(() => (status.prepare(`SELECT count(*) AS n FROM sessions WHERE status = 'open'`).get() as { n: number }).n, { timeout: 15_000, interval: 250 })
          .toBe(0);
      } finally {
        status.close();
      }
    } finally {
      expect((await k.stop('SIGTERM')).code).toBe(0);
    }

    const db = new BetterSqlite3(DB_PATH, { readonly: true });
    try {
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['messages', 'tickets', 'sessions', 'events']));
      expect((db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n).toBeGreaterThan(0);
      const leaks: string[] = [];
      for (const table of tables) {
        if (table === 'callbacks') continue; // the number a person must call, in full by design
        for (const row of db.prepare(`SELECT * FROM "${table}"`).all()) {
          const seen = visibleDigits(JSON.stringify(row));
          if (seen.includes(PHONE) || seen.includes(IMEI)) leaks.push(`${table}: ${JSON.stringify(row).slice(0, 200)}`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      db.close();
    }
    const logged = visibleDigits(JSON.stringify(k.logs));
    expect(k.logs.length).toBeGreaterThan(0);
    expect(logged).not.toContain(PHONE);
    expect(logged).not.toContain(IMEI);
  });
});
