/**
 * The reports' exactness rules, over a real server and over synthetic events:
 * an event is written in the same transaction as its change (a refused
 * change leaves none, a retried message counts once, a restart keeps every
 * number); a reopened conversation counts once, and its agents' times count
 * from their own claim; time with the bot or in the queue never counts as an
 * agent's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../server/store/types.js';
import { computeStats } from '../../server/reports/stats.js';
import { parseRange } from '../../server/reports/time.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Stats {
  conversations: number;
  handovers: number;
  turns: number;
  queue: { queued: number; claimed: number; wait: { count: number } };
  agents: { firstResponse: { count: number; median: number | null; p90: number | null }; resolution: { count: number; median: number | null; p90: number | null } };
}

describe('exact numbers over a real server', () => {
  let srv: TestServer;
  let wang: AgentAtDesk;
  let li: AgentAtDesk;
  let admin: AgentAtDesk;
  const stats = async (s = srv): Promise<Stats> => (await fetch(`${s.url}/api/desk/stats?from=${today}&to=${today}`, { headers: { cookie: admin.cookie } })).json() as Promise<Stats>;
  const eventsOf = async (sessionId: string) => (await srv.store.events(new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000))).filter((e) => e.sessionId === sessionId);

  beforeAll(async () => {
    srv = await startTestServer();
    admin = await agentAtDesk(srv, 'boss', '主管', { role: 'admin' });
    wang = await agentAtDesk(srv, 'wang', '小王');
    li = await agentAtDesk(srv, 'li', '小李');
  });
  afterAll(async () => {
    for (const a of [admin, wang, li]) a?.close();
    await srv?.close();
  });

  it('counts a retried message once, and a claim that lost the race not at all', async () => {
    const before = await stats();
    const c = await connect(srv.url);
    const first = await c.send('手机开不了机', { clientMessageId: 'retry-1' });
    const again = await c.send('手机开不了机', { clientMessageId: 'retry-1' });
    expect(again).toEqual(first);
    expect(await c.send('转人工')).toMatchObject({ ok: true });
    // Both agents claim at once: one commit wins; the other is refused and writes no event.
    const [a, b] = await Promise.all([wang.emit('claim', { sessionId: c.sessionId }), li.emit('claim', { sessionId: c.sessionId })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((x) => !x.ok)).toMatchObject({ error: { code: 'ALREADY_CLAIMED' } });
    const winner = a.ok ? wang : li;
    expect(await winner.emit('close', { sessionId: c.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
    c.close();

    const events = await eventsOf(c.sessionId);
    expect(events.filter((e) => e.type === 'turn')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'claimed')).toHaveLength(1);
    const after = await stats();
    expect(after.conversations - before.conversations).toBe(1);
    expect(after.turns - before.turns).toBe(2);
    expect(after.queue.claimed - before.queue.claimed).toBe(1);
  });

  it('counts a reopened conversation once, each agent from their own claim, never the bot’s time', async () => {
    const before = await stats();
    const c = await connect(srv.url);
    // Time with the bot before the hand-over.
    for (const line of ['手机开不了机', '进过水']) expect(await c.send(line)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.send('转人工')).toMatchObject({ ok: true });
    expect(await wang.emit('claim', { sessionId: c.sessionId })).toMatchObject({ ok: true });
    expect(await wang.emit('send', { sessionId: c.sessionId, text: '您好，我是小王。' })).toMatchObject({ ok: true });
    expect(await wang.emit('close', { sessionId: c.sessionId, resolution: 'unresolved' })).toEqual({ ok: true });
    // The user comes back to the same conversation and asks again; the time in between is nobody's response time.
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.send('还是不行，转人工')).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(await li.emit('claim', { sessionId: c.sessionId })).toMatchObject({ ok: true });
    expect(await li.emit('send', { sessionId: c.sessionId, text: '您好，我是小李，我接着帮您看。' })).toMatchObject({ ok: true });
    expect(await li.emit('close', { sessionId: c.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
    c.close();

    const events = await eventsOf(c.sessionId);
    const at = (e: StoredEvent) => Date.parse(e.at);
    const claims = events.filter((e) => e.type === 'claimed');
    const replies = events.filter((e) => e.type === 'agent_message');
    const closes = events.filter((e) => e.type === 'closed');
    expect([claims.length, replies.length, closes.length]).toEqual([2, 2, 2]);
    expect(replies.map((e) => e.actor)).toEqual(['agent', 'agent']);
    const firstResponses = [at(replies[0]!) - at(claims[0]!), at(replies[1]!) - at(claims[1]!)].sort((x, y) => x - y);
    const resolutions = [at(closes[0]!) - at(claims[0]!), at(closes[1]!) - at(claims[1]!)].sort((x, y) => x - y);
    // Counting from the conversation's start or the first claim would give at least this much.
    const inflated = at(replies[1]!) - at(claims[0]!);
    expect(inflated).toBeGreaterThan(firstResponses[1]! + 250);

    const after = await stats();
    expect(after.conversations - before.conversations).toBe(1);
    expect(after.handovers - before.handovers).toBe(1);
    expect(after.queue.queued - before.queue.queued).toBe(2);
    expect(after.queue.claimed - before.queue.claimed).toBe(2);
    // Only this test's conversation has agent replies and closes besides the first test's close.
    expect(after.agents.firstResponse.count - before.agents.firstResponse.count).toBe(2);
    expect(after.agents.resolution.count - before.agents.resolution.count).toBe(2);
    const mine = computeStats(events, parseRange({ from: today, to: today }));
    expect(mine.agents.firstResponse).toEqual({ count: 2, median: firstResponses[0], p90: firstResponses[1] });
    expect(mine.agents.resolution).toEqual({ count: 2, median: resolutions[0], p90: resolutions[1] });
  });

  it('gives the same numbers after a restart', async () => {
    const before = await stats();
    const port = srv.port;
    await srv.close();
    srv = await startTestServer({ PORT: String(port), DB_PATH: srv.dbPath });
    admin.close();
    admin = await agentAtDesk(srv, 'boss', '主管', { create: false });
    expect(await stats()).toEqual(before);
  });
});

describe('exact numbers over synthetic events', () => {
  const T0 = Date.parse('2026-12-03T02:00:00Z'); // 10:00 in China
  const min = 60_000;
  const ev = (type: StoredEvent['type'], t: number, actor: StoredEvent['actor'], data: Record<string, unknown> = {}, sessionId = 's1'): StoredEvent =>
    ({ id: t, type, at: new Date(T0 + t).toISOString(), sessionId, actor, data }) as unknown as StoredEvent;
  const turn = (t: number, understood = true) => ev('turn', t, 'bot', { intent: 'wont_boot', confidence: 1, understood, at: null, next: null, steps: [], lang: 'zh', channel: 'socket' });
  const range = parseRange({ from: '2026-12-03', to: '2026-12-03' });

  it('never counts ten minutes with the bot or two in the queue as the agent’s', () => {
    const events = [
      ev('conversation_started', 0, 'user', { lang: 'zh', channel: 'socket' }),
      turn(0),
      turn(5 * min),
      turn(10 * min),
      ev('handoff_requested', 10 * min, 'user', { intent: null, at: null, available: true }),
      ev('queued', 10 * min, 'system'),
      ev('claimed', 12 * min, 'agent', { waitedMs: 2 * min, by: 'claim' }),
      ev('agent_message', 12 * min + 30_000, 'agent', { first: true, sinceQueuedMs: 2 * min + 30_000 }),
      ev('closed', 20 * min, 'agent', { resolution: 'resolved', sinceQueuedMs: 10 * min, sinceClaimMs: 8 * min }),
    ];
    const s = computeStats(events, range);
    expect(s.queue.wait).toEqual({ count: 1, median: 2 * min, p90: 2 * min });
    expect(s.agents.firstResponse).toEqual({ count: 1, median: 30_000, p90: 30_000 });
    expect(s.agents.resolution).toEqual({ count: 1, median: 8 * min, p90: 8 * min });
  });

  it('counts a conversation reopened the next day once, on the day it started, each claim timed on its own', () => {
    const day = 24 * 60 * min;
    const events = [
      ev('conversation_started', 0, 'user', { lang: 'zh', channel: 'socket' }),
      turn(0),
      ev('handoff_requested', 1 * min, 'user', { intent: null, at: null, available: true }),
      ev('queued', 1 * min, 'system'),
      ev('claimed', 2 * min, 'agent', { waitedMs: min, by: 'claim' }),
      ev('agent_message', 3 * min, 'agent', { first: true, sinceQueuedMs: 2 * min }),
      ev('closed', 5 * min, 'agent', { resolution: 'unresolved', sinceQueuedMs: 4 * min, sinceClaimMs: 3 * min }),
      // The next morning the user writes again and asks for a person.
      turn(day, false),
      ev('handoff_requested', day + min, 'user', { intent: null, at: null, available: true }),
      ev('queued', day + min, 'system'),
      ev('claimed', day + 4 * min, 'agent', { waitedMs: 3 * min, by: 'auto' }),
      ev('agent_message', day + 4 * min + 10_000, 'agent', { first: true, sinceQueuedMs: 3 * min + 10_000 }),
      ev('agent_message', day + 6 * min, 'agent', { first: false, sinceQueuedMs: 5 * min }),
      ev('closed', day + 9 * min, 'agent', { resolution: 'resolved', sinceQueuedMs: 8 * min, sinceClaimMs: 5 * min }),
    ];
    const s = computeStats(events, range);
    expect(s).toMatchObject({ conversations: 1, handovers: 1, contained: 0, turns: 2, fallbacks: 1 });
    expect(s.queue).toMatchObject({ queued: 2, claimed: 2 });
    expect(s.agents.firstResponse).toEqual({ count: 2, median: 10_000, p90: min });
    expect(s.agents.resolution).toEqual({ count: 2, median: 3 * min, p90: 5 * min });
    // The next day has no conversation of its own: nothing moves and nothing counts twice.
    expect(computeStats(events, parseRange({ from: '2026-12-04', to: '2026-12-04' })).conversations).toBe(0);
    expect(computeStats(events, parseRange({ from: '2026-12-03', to: '2026-12-04' }))).toMatchObject({ conversations: 1, handovers: 1, queue: { queued: 2 } });
  });
});
