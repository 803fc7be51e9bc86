/**
 * The Socket.IO channel against a real server on port 0, with a bot double:
 * these tests are about sessions, acks, rooms and storage, not dialogs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../helpers/socketClient.js';
import { createBotDouble } from '../helpers/botDouble.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ FOLLOW_UP_DELAY: '0s' }, { bot: createBotDouble() });
});
afterAll(() => srv.close());

describe('sessions', () => {
  it('announces a new unguessable session and sends the welcome as bot_message', async () => {
    const c = await connect(srv.url);
    expect(c.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const welcome = await c.nextBotMessage(0);
    expect(welcome.text).toBe('您好（替身）');
    const h = await c.history();
    expect(h).toMatchObject({ ok: true, sessionId: c.sessionId, entries: [{ role: 'bot', text: '您好（替身）' }] });
    c.close();
  });

  it('uses the handshake locale for a new session', async () => {
    const c = await connect(srv.url, { auth: { locale: 'en' } });
    expect((await c.nextBotMessage(0)).text).toBe('Hello (double)');
    c.close();
  });

  it('resumes a known session without a second welcome, and history returns the whole transcript', async () => {
    const a = await connect(srv.url);
    await a.nextBotMessage(0);
    const ack = await a.send('你好');
    expect(ack).toEqual({ ok: true, sessionId: a.sessionId, replies: [expect.objectContaining({ text: 'echo: 你好' })] });
    a.close();

    const b = await connect(srv.url, { auth: { sessionId: a.sessionId } });
    expect(b.sessionId).toBe(a.sessionId);
    const h = await b.history();
    if (!h.ok) throw new Error('history failed');
    expect(h.entries.map((e) => [e.role, e.text])).toEqual([
      ['bot', '您好（替身）'],
      ['user', '你好'],
      ['bot', 'echo: 你好'],
    ]);
    expect(h.entries[2]!.message?.id).toBe(ack.ok ? ack.replies[0]!.id : undefined);
    for (const e of h.entries) expect(Date.parse(e.at)).not.toBeNaN();
    // The dialog continues from the stored state: the double counts turns.
    const next = await b.send('再来');
    expect(next.ok).toBe(true);
    expect((await srv.store.getSession(a.sessionId))?.state).toMatchObject({ node: 'echo-2', turns: 2 });
    expect(b.botMessages).toEqual([]); // no second welcome on resume
    b.close();
  });

  it.each([
    ['a locale it does not know', { locale: 'fr' }],
    ['a malformed locale and extra fields', { locale: 7, admin: true }],
  ])('resumes a known session when the handshake also carries %s', async (_label, extra) => {
    const a = await connect(srv.url);
    const b = await connect(srv.url, { auth: { sessionId: a.sessionId, ...extra } });
    expect(b.sessionId).toBe(a.sessionId);
    expect(b.botMessages).toEqual([]);
    a.close();
    b.close();
  });

  it.each([
    ['an unknown id', 'f0f0f0f0-0000-4000-8000-000000000000'],
    ['a malformed id', '../../etc/passwd'],
    ['a non-string id', 12345],
    ['an object id', { $gt: '' }],
  ])('gives a new session when offered %s, stored only once it carries a message', async (_label, offered) => {
    const c = await connect(srv.url, { auth: { sessionId: offered } });
    expect(c.sessionId).not.toEqual(offered);
    // The welcome is drawn from memory: a handshake stores nothing.
    expect(c.botMessages.length).toBeGreaterThan(0);
    expect(await srv.store.getSession(c.sessionId)).toBeNull();
    const h = await c.history();
    expect(h.ok && h.entries.map((e) => e.text)).toEqual(c.botMessages.map((m) => m.text));
    // A second tab offering the same not-yet-stored id joins it.
    const tab = await connect(srv.url, { auth: { sessionId: c.sessionId } });
    expect(tab.sessionId).toBe(c.sessionId);
    expect(await c.send('你好')).toMatchObject({ ok: true, sessionId: c.sessionId });
    expect(await srv.store.getSession(c.sessionId)).toMatchObject({ status: 'open' });
    expect((await srv.store.transcript(c.sessionId)).map((e) => e.role)).toEqual([...c.botMessages.map(() => 'bot'), 'user', 'bot']);
    c.close();
    tab.close();
  });

  it('answers a message sent after the session ended in a new session, linked to the old ticket, in the old language', async () => {
    const short = await startTestServer({ SESSION_TTL: '30m', SWEEP_INTERVAL: '1h' }, { bot: createBotDouble() });
    const later = new Date(Date.now() + 31 * 60_000);
    try {
      const c = await connect(short.url, { auth: { locale: 'en' } });
      const oldId = c.sessionId;
      expect(await c.send('我的手机开不了机')).toMatchObject({ ok: true, replies: [{ ticketId: expect.any(String) }] });
      await short.sweep(later);
      expect((await short.store.getSession(oldId))?.status).toBe('closed');

      const ack = await c.send('还在吗');
      expect(ack).toMatchObject({ ok: true, replies: [{ text: 'echo: 还在吗' }] });
      const newId = ack.ok ? ack.sessionId : '';
      expect(newId).not.toBe(oldId);
      // The socket follows the new session: announced, and later messages go there.
      await expect.poll(() => c.sessionId).toBe(newId);
      expect(await c.send('再问一句')).toMatchObject({ ok: true, sessionId: newId });
      expect(await short.store.getSession(newId)).toMatchObject({ status: 'open', lang: 'en' });
      const [oldTicket] = await short.store.tickets(oldId);
      expect((await short.store.getSession(newId))?.state).toMatchObject({ previousTicketId: oldTicket!.id });
      expect((await short.store.transcript(newId)).filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['还在吗', '再问一句']);
      // The closed session's id no longer resumes; its transcript is kept.
      const again = await connect(short.url, { auth: { sessionId: oldId } });
      expect(again.sessionId).not.toBe(oldId);
      expect((await short.store.transcript(oldId)).map((e) => e.text)).toContain('我的手机开不了机');
      c.close();
      again.close();
    } finally {
      await short.close();
    }
  });

  it('reopens a session closed as idle when its follow-up comes, so the check-in can be answered', async () => {
    // As in real life: the follow-up comes (an hour later with the double) long after SESSION_TTL closed the session.
    const short = await startTestServer({ SESSION_TTL: '30m', SWEEP_INTERVAL: '1h' }, { bot: createBotDouble() });
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    try {
      const c = await connect(short.url);
      expect(await c.send('手机开不了机')).toMatchObject({ ok: true }); // the double opens a ticket, follow-up in 1 h
      await short.sweep(later(31));
      expect((await short.store.getSession(c.sessionId))?.status).toBe('closed');

      const seen = c.botMessages.length;
      await short.sweep(later(61));
      expect(await c.nextBotMessage(seen)).toMatchObject({ step: 'follow_up' });
      expect((await short.store.getSession(c.sessionId))?.status).toBe('open');
      // The same socket answers within the session, and a visit in the next half hour resumes it.
      expect(await c.send('好了，谢谢')).toMatchObject({ ok: true, sessionId: c.sessionId });
      const again = await connect(short.url, { auth: { sessionId: c.sessionId } });
      expect(again.sessionId).toBe(c.sessionId);
      expect(c.sessions).toHaveLength(1);
      c.close();
      again.close();
    } finally {
      await short.close();
    }
  });
});

describe('turns', () => {
  it('opens a ticket through the store counter and records effects', async () => {
    const c = await connect(srv.url);
    const ack = await c.send('手机开不了机');
    if (!ack.ok) throw new Error(ack.error.message);
    const ticketId = ack.replies[0]!.ticketId!;
    expect(ticketId).toMatch(/^T\d{8}-\d{4}$/);
    const tickets = await srv.store.tickets(c.sessionId);
    expect(tickets).toEqual([expect.objectContaining({ id: ticketId, intent: 'power_failure', status: 'open' })]);
    const second = await (await connect(srv.url)).send('又开不了机了');
    expect(second.ok && second.replies[0]!.ticketId).not.toBe(ticketId);
    c.close();
  });

  it('is idempotent by clientMessageId: a retry gets the stored replies and is not processed twice', async () => {
    const c = await connect(srv.url);
    const first = await c.send('重试一下', { clientMessageId: 'abc-1' });
    const retry = await c.send('重试一下', { clientMessageId: 'abc-1' });
    expect(retry).toEqual(first);
    const h = await c.history();
    expect(h.ok && h.entries.filter((e) => e.role === 'user')).toHaveLength(1);
    expect((await srv.store.getSession(c.sessionId))?.state).toMatchObject({ turns: 1 });
    const other = await c.send('重试一下', { clientMessageId: 'abc-2' });
    expect(other.ok && other.replies[0]!.id).not.toBe(first.ok && first.replies[0]!.id);
    c.close();
  });

  it('answers a retry of a stored message with its replies even after the session was closed', async () => {
    const short = await startTestServer({ SESSION_TTL: '30m', SWEEP_INTERVAL: '1h' }, { bot: createBotDouble() });
    try {
      const c = await connect(short.url);
      const first = await c.send('网络断了之前发的', { clientMessageId: 'late-1' });
      expect(first).toMatchObject({ ok: true });
      await short.sweep(new Date(Date.now() + 31 * 60_000));
      expect((await short.store.getSession(c.sessionId))?.status).toBe('closed');
      // The ack was lost; the widget re-sends the same message after the session closed.
      expect(await c.send('网络断了之前发的', { clientMessageId: 'late-1' })).toEqual(first);
      // A new message is answered in a new session.
      const next = await c.send('新的一句', { clientMessageId: 'late-2' });
      expect(next).toMatchObject({ ok: true, replies: [{ text: 'echo: 新的一句' }] });
      expect(next.ok && next.sessionId).not.toBe(first.ok && first.sessionId);
      c.close();
    } finally {
      await short.close();
    }
  });

  it('masks mobile numbers and IMEIs in the stored transcript', async () => {
    const c = await connect(srv.url);
    const ack = await c.send('我的号码 13812345678，IMEI 356938035643809');
    // The double echoes: what the bot saw was the real text, what is stored and acked is masked.
    expect(ack).toMatchObject({ ok: true, replies: [{ text: 'echo: 我的号码 138****5678，IMEI 35693803*******' }] });
    const h = await c.history();
    const texts = h.ok ? h.entries.map((e) => e.text).join('\n') : '';
    expect(texts).toContain('我的号码 138****5678，IMEI 35693803*******');
    expect(texts).not.toMatch(/13812345678|356938035643809/);
    c.close();
  });

  it('runs the turns of one session one at a time, even from two tabs at once', async () => {
    const a = await connect(srv.url);
    const b = await connect(srv.url, { auth: { sessionId: a.sessionId } });
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send(`第${i}条`)),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    expect((await srv.store.getSession(a.sessionId))?.state).toMatchObject({ turns: 10 });
    a.close();
    b.close();
  });

  it('continues from the stored session when another process sharing the file moved it on meanwhile', async () => {
    const other = await startTestServer({ DB_PATH: srv.dbPath }, { bot: createBotDouble() });
    try {
      const here = await connect(srv.url);
      expect(await here.send('一')).toMatchObject({ ok: true }); // cached here at version 1
      const there = await connect(other.url, { auth: { sessionId: here.sessionId } });
      expect(await there.send('二')).toMatchObject({ ok: true }); // version 2, written by the other process
      // This process's cached copy is stale: the commit is refused and the turn recomputed from the store.
      expect(await here.send('三')).toMatchObject({ ok: true, replies: [{ text: 'echo: 三' }] });
      expect((await srv.store.getSession(here.sessionId))?.state).toMatchObject({ node: 'echo-3', turns: 3 });
      const h = await here.history();
      expect(h.ok && h.entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['一', '二', '三']);
      here.close();
      there.close();
    } finally {
      await other.close();
    }
  });

  it('delivers a due follow-up once, to every tab of the session, and stores it', async () => {
    const a = await connect(srv.url);
    const b = await connect(srv.url, { auth: { sessionId: a.sessionId } });
    const before = a.botMessages.length;
    await a.send('手机开不了机');
    await srv.sweep();
    const [ma, mb] = await Promise.all([a.nextBotMessage(before), b.nextBotMessage(0)]);
    expect(ma.step).toBe('follow_up');
    expect(mb).toEqual(ma);
    await srv.sweep();
    await new Promise((r) => setTimeout(r, 100));
    expect(a.botMessages.filter((m) => m.step === 'follow_up')).toHaveLength(1);
    const h = await a.history();
    expect(h.ok && h.entries.at(-1)).toMatchObject({ role: 'bot', message: { step: 'follow_up' } });
    a.close();
    b.close();
  });
});
