/**
 * The desk over its real protocol: a real server (real bot, SQLite file),
 * users on the widget's socket, agents on `/desk` with real logins. The
 * browser desk has its own end-to-end tests; these pin down what the server
 * guarantees whatever the page does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../server/analytics/events.js';
import type { ConversationStatus, DeskConversation, QueueItem } from '../../server/protocol.js';
import { agentAtDesk, deskLogin, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect, type Connected } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

/** The user's socket records every `status`. */
function statuses(c: Connected): ConversationStatus[] {
  const seen: ConversationStatus[] = [];
  c.socket.on('status', (s) => seen.push(s));
  return seen;
}

async function queuedUser(srv: TestServer, first = '我是移动的，手机开不了机'): Promise<Connected> {
  const c = await connect(srv.url);
  expect(await c.send(first)).toMatchObject({ ok: true });
  expect(await c.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
  return c;
}

const eventTypes = async (srv: TestServer, sessionId: string) =>
  (await srv.store.events(new Date(0), new Date(Date.now() + 86_400_000))).filter((e) => e.sessionId === sessionId).map((e) => e.type);

describe('a conversation served at the desk', () => {
  let srv: TestServer;
  let wang: AgentAtDesk;
  let li: AgentAtDesk;
  beforeAll(async () => {
    srv = await startTestServer();
    wang = await agentAtDesk(srv, 'wang', '小王');
    li = await agentAtDesk(srv, 'li', '小李');
  });
  afterAll(async () => {
    wang.close();
    li.close();
    await srv.close();
  });

  it('queue, claim, reply, typing both ways, notes never reach the user, transfer, hand back to the bot', async () => {
    const user = await connect(srv.url);
    const seen = statuses(user);
    await user.send('我是移动的，手机开不了机');
    const handover = await user.send('转人工');
    expect(handover).toMatchObject({ ok: true, routedTo: 'queue' });
    const sessionId = user.sessionId;
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'queued', position: 1, etaMinutes: expect.any(Number) });

    // The desk sees it waiting, with what the bot collected.
    const queue = await wang.latest<{ waiting: QueueItem[] }>('queue', (q) => q.waiting.some((w) => w.sessionId === sessionId));
    expect(queue.waiting.find((w) => w.sessionId === sessionId)).toMatchObject({ intent: 'wont_boot', topic: { zh: '手机开不了机', en: "phone won't turn on" }, lang: 'zh', ticketId: expect.stringMatching(/^T\d{8}-\d{4,}$/), summary: '我是移动的，手机开不了机' });
    // While waiting, the bot says nothing: the message waits for the agent.
    expect(await user.send('有人吗')).toEqual({ ok: true, sessionId, replies: [], routedTo: 'queue' });

    const claimed = (await wang.emit('claim', { sessionId })) as { ok: true; conversation: DeskConversation };
    expect(claimed.ok).toBe(true);
    expect(claimed.conversation).toMatchObject({ mode: 'agent', assignee: { login: 'wang', name: '小王' }, card: { intent: 'wont_boot', why: 'asked', slots: { carrier: '中国移动' }, summary: '我是移动的，手机开不了机' } });
    expect(claimed.conversation.transcript.map((e) => e.text)).toContain('有人吗');
    await expect.poll(() => user.botMessages.some((m) => m.from === 'system' && m.text.includes('小王'))).toBe(true);
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'agent', agentName: '小王' });

    const before = user.botMessages.length;
    expect(await wang.emit('send', { sessionId, text: '您好，我是客服小王，我来帮您看看。' })).toMatchObject({ ok: true, message: { from: 'agent', agentName: '小王' } });
    await expect.poll(() => user.botMessages.slice(before).map((m) => [m.from, m.agentName, m.text])).toEqual([['agent', '小王', '您好，我是客服小王，我来帮您看看。']]);

    const typing: unknown[] = [];
    user.socket.on('typing', (t) => typing.push(t));
    wang.socket.emit('typing', { sessionId, typing: true });
    await expect.poll(() => typing).toEqual([{ typing: true, agentName: '小王' }]);
    user.socket.emit('typing', { typing: true });
    await wang.latest('typing', (t: { sessionId: string; typing: boolean }) => t.sessionId === sessionId && t.typing);

    expect(await user.send('好的，谢谢')).toEqual({ ok: true, sessionId, replies: [], routedTo: 'agent' });
    await wang.latest('user_message', (m: { text: string }) => m.text === '好的，谢谢');

    expect(await wang.emit('note', { sessionId, text: '用户情绪稳定，疑似电池问题，手机号 13812345678' })).toMatchObject({ ok: true, note: { agent: 'wang' } });
    const notes = await srv.store.notes(sessionId);
    expect(notes[0]!.text).toContain('138****5678');

    // Transfer: only to an agent who can take it.
    expect(await wang.emit('transfer', { sessionId, to: 'nobody' })).toMatchObject({ ok: false, error: { code: 'AGENT_UNAVAILABLE' } });
    expect(await wang.emit('transfer', { sessionId, to: 'li', note: '请帮忙跟进电池检测' })).toEqual({ ok: true });
    const assigned = await li.latest<{ conversation: DeskConversation; by: string; from?: string }>('assigned', (a) => a.conversation.sessionId === sessionId);
    expect(assigned).toMatchObject({ by: 'transfer', from: 'wang', conversation: { assignee: { login: 'li' } } });
    await wang.latest('released', (r: { sessionId: string; why: string }) => r.sessionId === sessionId && r.why === 'transferred');
    expect(await wang.emit('send', { sessionId, text: 'still mine?' })).toMatchObject({ ok: false, error: { code: 'NOT_YOURS' } });
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'agent', agentName: '小李' });

    // Hand back: the bot answers again, no rating asked.
    expect(await li.emit('hand_back', { sessionId })).toEqual({ ok: true });
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'bot' });
    const afterHandBack = await user.send('手机卡顿怎么办');
    expect(afterHandBack.ok && afterHandBack.replies.length).toBeGreaterThan(0);
    expect(afterHandBack.ok && afterHandBack.routedTo).toBeUndefined();

    // Nothing agent-only ever reached the user: not live, not in the transcript.
    const history = await user.history();
    const userSaw = [...user.botMessages.map((m) => m.text), ...(history.ok ? history.entries.map((e) => e.text) : [])].join('\n');
    expect(userSaw).not.toContain('情绪稳定');
    expect(userSaw).not.toContain('请帮忙跟进');
    expect(history.ok && history.entries.map((e) => e.role)).toEqual(expect.arrayContaining(['user', 'bot', 'agent', 'system']));

    const audit = (await srv.store.auditLog({ sessionId })).map((a) => `${a.agent} ${a.action}`).reverse();
    expect(audit).toEqual(['wang claimed', 'wang replied', 'wang noted', 'wang transferred', 'li handed back']);
    expect(await eventTypes(srv, sessionId)).toEqual(
      expect.arrayContaining(['handoff_requested', 'queued', 'user_to_agent', 'claimed', 'agent_message', 'transferred', 'handed_back']),
    );
    user.close();
  });

  it('two agents claiming at once: one wins, the other is told ALREADY_CLAIMED', async () => {
    const user = await queuedUser(srv);
    const [a, b] = await Promise.all([wang.emit('claim', { sessionId: user.sessionId }), li.emit('claim', { sessionId: user.sessionId })]);
    const results = [a, b].map((r) => (r.ok ? 'ok' : (r as unknown as { error: { code: string } }).error.code)).sort();
    expect(results).toEqual(['ALREADY_CLAIMED', 'ok']);
    const session = await srv.store.getSession(user.sessionId);
    expect(['wang', 'li']).toContain(session?.assignee);
    // The winner closes it: the user is back with the bot.
    const winner = session?.assignee === 'wang' ? wang : li;
    expect(await winner.emit('close', { sessionId: user.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
    expect((await srv.store.getSession(user.sessionId))?.mode).toBe('bot');
    expect(await srv.store.handoff(user.sessionId)).toMatchObject({ status: 'closed', resolution: 'resolved', agent: winner.login });
    const [ticket] = await srv.store.tickets(user.sessionId);
    expect(ticket).toMatchObject({ status: 'resolved', notes: expect.arrayContaining([expect.objectContaining({ by: winner.login })]) });
    expect(await winner.emit('claim', { sessionId: user.sessionId })).toMatchObject({ ok: false, error: { code: 'NOT_QUEUED' } });
    user.close();
  });

  it('fills canned replies from what the bot learnt', async () => {
    const user = await queuedUser(srv, '我是移动的，手机开不了机');
    expect(await wang.emit('claim', { sessionId: user.sessionId })).toMatchObject({ ok: true });
    const canned = (await wang.emit('canned', { sessionId: user.sessionId })) as { ok: true; replies: { id: string; text: string }[] };
    const line = canned.replies.find((r) => r.id === 'carrier_line')!.text;
    expect(line).toContain('10086');
    expect(line).toMatch(/T\d{8}-\d{4}/);
    expect(canned.replies.find((r) => r.id === 'greeting')!.text).toContain('小王');
    expect(canned.replies.map((r) => r.text).join('')).not.toMatch(/\{[a-zA-Z]+\}/);
    // The ticket is found in this chat only: no reply sends the user to quote it at a hotline or a service centre.
    expect(canned.replies.map((r) => r.text).join('')).not.toMatch(/报上工单号|quote ticket/);
    await wang.emit('close', { sessionId: user.sessionId, resolution: 'unresolved' });
    user.close();
  });

  it("lists tickets with their problem's title in the desk's language", async () => {
    const list = async (q: string) => {
      const res = await fetch(`${srv.url}/api/desk/tickets${q}`, { headers: { cookie: wang.cookie } });
      return { status: res.status, body: (await res.json()) as { tickets?: { intent: string; topic?: string }[] } };
    };
    const zh = await list('?intent=wont_boot&lang=zh');
    expect(zh.body.tickets!.length).toBeGreaterThan(0);
    expect(zh.body.tickets!.every((t) => t.topic === '手机开不了机')).toBe(true);
    expect((await list('?intent=wont_boot&lang=en')).body.tickets![0]!.topic).toBe("phone won't turn on");
    expect(await list('?lang=fr')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD' } } });
  });

  it('shows what the user said before a bare 转人工, not an intent id', async () => {
    const user = await connect(srv.url);
    await user.send('我手机昨天掉水里了，现在还能用，号码13812345678');
    expect(await user.send('还是转人工吧')).toMatchObject({ ok: true, routedTo: 'queue' });
    const queue = await wang.latest<{ waiting: QueueItem[] }>('queue', (q) => q.waiting.some((w) => w.sessionId === user.sessionId));
    const item = queue.waiting.find((w) => w.sessionId === user.sessionId)!;
    expect(item.summary).toBe('我手机昨天掉水里了，现在还能用，号码138****5678 / 还是转人工吧');
    expect(await user.socket.timeout(5000).emitWithAck('leave_queue')).toMatchObject({ ok: true });
    user.close();
  });

  it('names on the card the problems the user left open for this one, and only those', async () => {
    const user = await connect(srv.url);
    await user.send('没信号'); // left for the next problem: paused, its ticket open
    await user.send('手机开不了机');
    expect(await user.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
    const tickets = await srv.store.tickets(user.sessionId);
    expect(tickets.map((t) => [t.intent, t.status])).toEqual([
      ['no_network', 'open'],
      ['wont_boot', 'escalated'],
    ]);
    const opened = (await wang.emit('open', { sessionId: user.sessionId })) as { ok: true; conversation: DeskConversation };
    expect(opened.conversation.card).toMatchObject({ intent: 'wont_boot', ticketId: tickets[1]!.id });
    expect(opened.conversation.card.alsoOpen).toEqual([
      { ticketId: tickets[0]!.id, intent: 'no_network', topic: { zh: '没信号或上不了网', en: expect.any(String) }, summary: '没信号', status: 'open' },
    ]);
    // One problem only: nothing else to name.
    const other = await queuedUser(srv);
    const alone = (await wang.emit('open', { sessionId: other.sessionId })) as { ok: true; conversation: DeskConversation };
    expect(alone.conversation.card.alsoOpen).toEqual([]);
    for (const c of [user, other]) {
      expect(await c.socket.timeout(5000).emitWithAck('leave_queue')).toMatchObject({ ok: true });
      c.close();
    }
  });

  it('lets the user stop waiting: back to the bot, which says so', async () => {
    const user = await queuedUser(srv);
    const seen = statuses(user);
    expect(await user.socket.timeout(5000).emitWithAck('leave_queue')).toEqual({ ok: true, sessionId: user.sessionId });
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'bot' });
    await expect.poll(() => user.botMessages.some((m) => m.from === 'system' && m.text.includes('取消排队'))).toBe(true);
    expect((await srv.store.getSession(user.sessionId))?.mode).toBe('bot');
    expect(await user.socket.timeout(5000).emitWithAck('leave_queue')).toMatchObject({ ok: false, error: { code: 'NOT_QUEUED' } });
    user.close();
  });

  it('tells the agent when the user leaves a conversation they serve (the widget\'s 「新对话」)', async () => {
    const user = await queuedUser(srv);
    expect(await wang.emit('claim', { sessionId: user.sessionId })).toMatchObject({ ok: true });
    expect(await user.socket.timeout(5000).emitWithAck('leave_queue')).toEqual({ ok: true, sessionId: user.sessionId });
    await wang.latest('released', (r: { sessionId: string; why: string }) => r.sessionId === user.sessionId && r.why === 'user_left');
    expect(await srv.store.getSession(user.sessionId)).toMatchObject({ mode: 'bot', assignee: null, ratingFor: null });
    expect(await wang.emit('send', { sessionId: user.sessionId, text: '还在吗？' })).toMatchObject({ ok: false, error: { code: 'NOT_YOURS' } });
    expect(await eventTypes(srv, user.sessionId)).toContain('user_left');
    user.close();
  });
});

describe('the desk over time', () => {
  it('gives the conversation of an agent whose desk is gone back to the queue, at its place', async () => {
    const srv = await startTestServer({ AGENT_AWAY_REQUEUE: '60s' });
    try {
      const wang = await agentAtDesk(srv, 'wang', '小王');
      const first = await queuedUser(srv);
      const second = await queuedUser(srv, '手机没信号');
      const queuedAt = (await srv.store.getSession(first.sessionId))?.queuedAt;
      expect(await wang.emit('claim', { sessionId: first.sessionId })).toMatchObject({ ok: true });
      wang.close();
      await expect.poll(async () => (await srv.desk.presence.present(Date.now())).length).toBe(0); // the server saw it go
      await srv.sweep(new Date(Date.now() + 10_000)); // gone, but not for long
      expect((await srv.store.getSession(first.sessionId))?.mode).toBe('agent');
      await srv.sweep(new Date(Date.now() + 120_000));
      expect(await srv.store.getSession(first.sessionId)).toMatchObject({ mode: 'queued', assignee: null, queuedAt });
      expect((await srv.store.queue()).map((q) => q.session.id)).toEqual([first.sessionId, second.sessionId]);
      await expect.poll(() => first.botMessages.some((m) => m.from === 'system' && m.text.includes('暂时离开'))).toBe(true);
      expect(await eventTypes(srv, first.sessionId)).toContain('requeued');
      first.close();
      second.close();
    } finally {
      await srv.close();
    }
  });

  it('keeps the conversation of an agent whose desk is open though presence forgot them (a Redis restarted without its data), and tells the fleet they are there', async () => {
    const srv = await startTestServer({ AGENT_AWAY_REQUEUE: '60s' });
    try {
      const wang = await agentAtDesk(srv, 'wang', '小王');
      const user = await queuedUser(srv);
      expect(await wang.emit('claim', { sessionId: user.sessionId })).toMatchObject({ ok: true });
      await srv.desk.presence.leave('wang'); // what a Redis restarted without its data knows of wang
      const later = new Date(Date.now() + 120_000);
      await srv.sweep(later);
      expect(await srv.store.getSession(user.sessionId)).toMatchObject({ mode: 'agent', assignee: 'wang' });
      expect((await srv.desk.presence.present(later.getTime())).map((p) => [p.login, p.state])).toEqual([['wang', 'online']]);
      expect(await wang.emit('send', { sessionId: user.sessionId, text: '我还在' })).toMatchObject({ ok: true });
      // Once the desk is closed, the same sweep gives the conversation back to the queue.
      wang.close();
      await expect.poll(async () => (await srv.desk.presence.present(Date.now())).length).toBe(0);
      await srv.sweep(new Date(Date.now() + 240_000));
      expect(await srv.store.getSession(user.sessionId)).toMatchObject({ mode: 'queued', assignee: null });
      user.close();
    } finally {
      await srv.close();
    }
  });

  it('offers no queue when nobody is there, and ends a wait that took too long', async () => {
    const srv = await startTestServer({ QUEUE_TIMEOUT: '5m' });
    try {
      // Nobody signed in: the hand-over is not queued.
      const alone = await connect(srv.url);
      await alone.send('手机开不了机');
      const ack = await alone.send('转人工');
      expect(ack.ok && ack.routedTo).toBeUndefined();
      expect(await srv.store.queue()).toEqual([]);
      const requested = (await srv.store.events(new Date(0), new Date(Date.now() + 1000))).find((e) => e.type === 'handoff_requested' && e.sessionId === alone.sessionId) as
        | Extract<AnalyticsEvent, { type: 'handoff_requested' }>
        | undefined;
      expect(requested?.data).toMatchObject({ available: false, why: 'no_agent' });

      // Someone there, but nobody takes it in time.
      const wang = await agentAtDesk(srv, 'wang', '小王');
      const waiting = await queuedUser(srv);
      await srv.sweep(new Date(Date.now() + 60_000));
      expect((await srv.store.getSession(waiting.sessionId))?.mode).toBe('queued');
      await srv.sweep(new Date(Date.now() + 6 * 60_000));
      expect((await srv.store.getSession(waiting.sessionId))?.mode).toBe('bot');
      expect(await srv.store.handoff(waiting.sessionId)).toMatchObject({ status: 'cancelled' });
      expect(await eventTypes(srv, waiting.sessionId)).toContain('queue_left');
      wang.close();
      alone.close();
      waiting.close();
    } finally {
      await srv.close();
    }
  });

  it('outside business hours, says so instead of queueing', async () => {
    // A window that is certainly closed now: one minute, twelve hours away (China time).
    const china = new Date(Date.now() + 8 * 3_600_000);
    const h = (china.getUTCHours() + 12) % 24;
    const window = `${String(h).padStart(2, '0')}:00-${String(h).padStart(2, '0')}:01`;
    const srv = await startTestServer({ BUSINESS_HOURS: window });
    try {
      const wang = await agentAtDesk(srv, 'wang', '小王');
      const user = await connect(srv.url);
      await user.send('手机开不了机');
      const ack = await user.send('转人工');
      expect(ack.ok && ack.routedTo).toBeUndefined();
      expect(await srv.store.queue()).toEqual([]);
      const requested = (await srv.store.events(new Date(0), new Date(Date.now() + 1000))).find((e) => e.type === 'handoff_requested');
      expect(requested?.data).toMatchObject({ available: false, why: 'after_hours' });
      wang.close();
      user.close();
    } finally {
      await srv.close();
    }
  });

  it('keeps the queue, the owner and the transcript across a restart', async () => {
    const srv = await startTestServer();
    const wang = await agentAtDesk(srv, 'wang', '小王');
    const owned = await queuedUser(srv);
    const waiting = await queuedUser(srv, '照片没了');
    await wang.emit('claim', { sessionId: owned.sessionId });
    await wang.emit('send', { sessionId: owned.sessionId, text: '重启前的一句' });
    wang.close();
    owned.close();
    waiting.close();
    await srv.close();

    const again = await startTestServer({ DB_PATH: srv.dbPath, PORT: String(srv.port) });
    try {
      expect((await again.store.queue()).map((q) => q.session.id)).toEqual([waiting.sessionId]);
      expect(await again.store.getSession(owned.sessionId)).toMatchObject({ mode: 'agent', assignee: 'wang' });
      const back = await agentAtDesk(again, 'wang', '小王', { create: false });
      expect(await back.emit('send', { sessionId: owned.sessionId, text: '重启后的一句' })).toMatchObject({ ok: true });
      const user = await connect(again.url, { auth: { sessionId: owned.sessionId } });
      expect(user.sessionId).toBe(owned.sessionId);
      const h = await user.history();
      expect(h.ok && h.entries.filter((e) => e.role === 'agent').map((e) => e.text)).toEqual(['重启前的一句', '重启后的一句']);
      expect(await user.send('收到')).toMatchObject({ ok: true, replies: [], routedTo: 'agent' });
      back.close();
      user.close();
    } finally {
      await again.close();
    }
  });
});

describe('desk access', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ RATE_LIMIT_LOGIN: '3' });
    await srv.desk.agents.add('wang', '小王', 'agent', 'right-password');
    await srv.desk.agents.add('boss', '主管', 'admin', 'boss-password');
  });
  afterAll(() => srv.close());

  it('refuses wrong passwords, limits attempts, and needs the cookie and the CSRF header', async () => {
    expect(await deskLogin(srv.url, 'wang', 'wrong')).toMatchObject({ status: 401, body: { error: { code: 'BAD_CREDENTIALS' } } });
    expect(await deskLogin(srv.url, 'ghost', 'whatever')).toMatchObject({ status: 401, body: { error: { code: 'BAD_CREDENTIALS' } } });
    const ok = await deskLogin(srv.url, 'wang', 'right-password');
    expect(ok).toMatchObject({ status: 200, body: { agent: { login: 'wang', name: '小王', role: 'agent' } } });
    expect(ok.cookie).toMatch(/^kefu_desk=/);
    // Three attempts per account per 15 minutes in this server: the fourth is refused even with the right password.
    await deskLogin(srv.url, 'wang', 'wrong');
    expect(await deskLogin(srv.url, 'wang', 'right-password')).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${srv.url}${path}`, { headers });
    expect((await get('/api/desk/tickets')).status).toBe(401);
    expect((await get('/api/desk/tickets', { cookie: ok.cookie })).status).toBe(200);
    expect((await get('/api/desk/agents', { cookie: ok.cookie })).status).toBe(403); // admins only
    expect((await get('/api/desk/tickets', { cookie: ok.cookie, origin: 'https://shop.example.com' })).status).toBe(403);
    const logout = (headers: Record<string, string>) => fetch(`${srv.url}/api/desk/logout`, { method: 'POST', headers });
    expect((await logout({ cookie: ok.cookie })).status).toBe(403); // no CSRF header
    expect((await logout({ cookie: ok.cookie, 'x-kefu-csrf': ok.csrf })).status).toBe(204);
    expect((await get('/api/desk/tickets', { cookie: ok.cookie })).status).toBe(401);
  });

  it('refuses the /desk namespace without a login, and ends logins of a disabled agent', async () => {
    const { io } = await import('socket.io-client');
    const refused = io(`${srv.url}/desk`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const err = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
    expect(err.message).toBe('UNAUTHORIZED');
    refused.close();

    const boss = await deskLogin(srv.url, 'boss', 'boss-password');
    expect((await fetch(`${srv.url}/api/desk/agents`, { headers: { cookie: boss.cookie } })).status).toBe(200);
    await srv.desk.agents.setDisabled('boss', true);
    expect((await fetch(`${srv.url}/api/desk/agents`, { headers: { cookie: boss.cookie } })).status).toBe(401);
  });
});
