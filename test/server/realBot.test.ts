/**
 * The server with the real bot (NLU + dialog content): a conversation over
 * both channels opens a real ticket, and everything survives a restart of
 * startKefu on the same port and SQLite file.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restMessageResponseSchema, restTranscriptResponseSchema } from '../../server/protocol.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv.close());

describe('with the real bot', () => {
  it('welcomes a new socket session in Chinese, and in English for locale en', async () => {
    const zh = await connect(srv.url);
    expect((await zh.nextBotMessage(0)).text).toMatch(/您好/);
    const en = await connect(srv.url, { auth: { locale: 'en' } });
    expect((await en.nextBotMessage(0)).text).toMatch(/[A-Za-z]{3,}/);
    zh.close();
    en.close();
  });

  it('「手机开不了机」 is acked with a ticket id that the store recorded', async () => {
    const c = await connect(srv.url);
    const ack = await c.send('手机开不了机');
    if (!ack.ok) throw new Error(ack.error.message);
    const ticketId = ack.replies.find((m) => m.ticketId)?.ticketId;
    expect(ticketId).toMatch(/^T\d{8}-\d{4}$/);
    expect(ack.replies.some((m) => m.intent === 'wont_boot')).toBe(true);
    const tickets = await srv.store.tickets(c.sessionId);
    expect(tickets).toEqual([expect.objectContaining({ id: ticketId, intent: 'wont_boot', status: 'open' })]);
    c.close();
  });

  it('a whole conversation stores the resolved ticket and the rating, and the follow-up arrives later', async () => {
    const quick = await startTestServer({ FOLLOW_UP_DELAY: '0s' });
    try {
      const c = await connect(quick.url);
      const steps: string[] = [];
      let solution = '';
      for (const text of ['手机开不了机', '摔过', '安卓', '解决了', '5']) {
        const ack = await c.send(text);
        if (!ack.ok) throw new Error(ack.error.message);
        steps.push(...ack.replies.map((m) => m.step ?? '-'));
        solution ||= ack.replies.find((m) => m.step === 'solve')?.text ?? '';
      }
      expect(steps).toEqual(expect.arrayContaining(['accept', 'analyse', 'solve', 'confirm', 'follow_up']));
      const [ticket] = await quick.store.tickets(c.sessionId);
      expect(ticket).toMatchObject({
        intent: 'wont_boot',
        status: 'resolved',
        summary: '手机开不了机',
        notes: [expect.objectContaining({ status: 'resolved' })],
      });
      // What was tried: the head of each numbered step the bot gave, in order, on one line.
      expect(ticket!.tried).toHaveLength(1);
      const heads = ticket!.tried[0]!.split(' / ');
      expect(ticket!.tried[0]!.length).toBeLessThanOrEqual(120);
      const numbered = solution.split('\n').filter((l) => /^\d+\. /.test(l));
      expect(numbered.length).toBeGreaterThan(1);
      expect(heads.length).toBe(numbered.length);
      heads.forEach((head, i) => expect(numbered[i]!.slice(3).startsWith(head.replace(/…$/, ''))).toBe(true));
      expect(await quick.store.ratings(c.sessionId)).toEqual([expect.objectContaining({ ticketId: ticket!.id, score: 5 })]);

      const seen = c.botMessages.length;
      await quick.sweep();
      const followUp = await c.nextBotMessage(seen);
      expect(followUp).toMatchObject({ step: 'follow_up', ticketId: ticket!.id });
      const h = await c.history();
      expect(h.ok && h.entries.at(-1)?.message).toEqual(followUp);
      c.close();
    } finally {
      await quick.close();
    }
  });

  it('keeps mobile numbers and IMEIs in the dialog state only while the session is open', async () => {
    const own = await startTestServer({ SESSION_TTL: '30m', SWEEP_INTERVAL: '1h' });
    try {
      const c = await connect(own.url);
      const ack = await c.send('手机被偷了，我的号码 13812345678，IMEI 356938035643809');
      if (!ack.ok) throw new Error(ack.error.message);
      expect(await c.send('华为')).toMatchObject({ ok: true });
      const stored = (tables: string[]) => {
        const db = new BetterSqlite3(own.dbPath, { readonly: true });
        try {
          return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all()));
        } finally {
          db.close();
        }
      };
      const others = ['messages', 'tickets', 'ticket_notes', 'handovers', 'follow_ups'];
      expect(stored(others)).toContain('138****5678');
      expect(stored(others)).not.toMatch(/13812345678|356938035643809/);
      // The open session's state keeps the IMEI: the police-report step checks it later, also after a restart.
      expect(stored(['sessions'])).toContain('356938035643809');
      await own.sweep(new Date(Date.now() + 31 * 60_000));
      expect((await own.store.getSession(c.sessionId))?.status).toBe('closed');
      expect(stored(['sessions', ...others])).not.toMatch(/13812345678|356938035643809/);
      c.close();
    } finally {
      await own.close();
    }
  });

  it('answers over REST with the same dialog', async () => {
    const res = await fetch(`${srv.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '手机开不了机' }),
    });
    const body = restMessageResponseSchema.parse(await res.json());
    expect(body.replies.some((m) => /^T\d{8}-\d{4}$/.test(m.ticketId ?? ''))).toBe(true);
  });

  it('keeps sessions, transcripts and dialog position across a restart on the same port and file', async () => {
    const first = await startTestServer();
    const c = await connect(first.url);
    await c.send('手机开不了机');
    const ack = await c.send('试过了，还是不行');
    if (!ack.ok) throw new Error(ack.error.message);
    const stateBefore = (await first.store.getSession(c.sessionId))!.state;
    const before = await c.history();
    c.close();
    await first.close();

    const second = await startTestServer({ PORT: String(first.port), DB_PATH: first.dbPath });
    try {
      expect(second.port).toBe(first.port);
      const again = await connect(second.url, { auth: { sessionId: c.sessionId } });
      expect(again.sessionId).toBe(c.sessionId);
      expect(await again.history()).toEqual(before);
      expect((await second.store.getSession(c.sessionId))!.state).toEqual(stateBefore);
      const next = await again.send('完全没反应');
      expect(next).toMatchObject({ ok: true, replies: expect.arrayContaining([expect.objectContaining({ intent: 'wont_boot' })]) });
      const t = restTranscriptResponseSchema.parse(
        await (await fetch(`${second.url}/api/sessions/${c.sessionId}/transcript`)).json(),
      );
      expect(t.entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['手机开不了机', '试过了，还是不行', '完全没反应']);
      again.close();
    } finally {
      await second.close();
    }
  });
});
