/**
 * A user of the REST channel stops waiting for an agent, as a widget user
 * does with `leave_queue`: a real server (real bot, SQLite file), the user
 * over fetch, an agent on `/desk` with a real login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../server/protocol.js';
import { restErrorSchema, restLeaveQueueResponseSchema, restMessageResponseSchema } from '../../server/protocol.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

let srv: TestServer;
let wang: AgentAtDesk;
beforeAll(async () => {
  srv = await startTestServer();
  wang = await agentAtDesk(srv, 'wang', '小王');
});
afterAll(async () => {
  wang.close();
  await srv.close();
});

async function say(text: string, sessionId?: string) {
  const res = await fetch(`${srv.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, ...(sessionId ? { sessionId } : {}) }),
  });
  expect(res.status).toBe(200);
  return restMessageResponseSchema.parse(await res.json());
}

const leave = (sessionId: string) => fetch(`${srv.url}/api/sessions/${sessionId}/leave-queue`, { method: 'POST' });

async function errorOf(res: Response): Promise<[number, string]> {
  return [res.status, restErrorSchema.parse(await res.json()).error.code];
}

/** A REST user handed over to the queue, as the desk sees it. */
async function queuedRestUser(): Promise<string> {
  const { sessionId } = await say('我是移动的，手机开不了机');
  expect((await say('转人工', sessionId)).replies.at(-1)?.text).toMatch(/正在为您转接人工客服/);
  expect(await say('有人吗', sessionId)).toEqual({ sessionId, replies: [], routedTo: 'queue' });
  await wang.latest<{ waiting: QueueItem[] }>('queue', (q) => q.waiting.some((w) => w.sessionId === sessionId));
  return sessionId;
}

describe('POST /api/sessions/:id/leave-queue', () => {
  it('stops waiting: the answer says so, the desk sees the conversation leave its queue, the bot answers again', async () => {
    const sessionId = await queuedRestUser();
    const res = await leave(sessionId);
    expect(res.status).toBe(200);
    const body = restLeaveQueueResponseSchema.parse(await res.json());
    expect(body.sessionId).toBe(sessionId);
    expect(body.replies.map((m) => [m.from ?? 'bot', m.text])).toEqual([
      ['system', '已为您取消排队。'],
      ['bot', expect.stringMatching(/我们继续/)],
    ]);
    await wang.latest<{ waiting: QueueItem[] }>('queue', (q) => !q.waiting.some((w) => w.sessionId === sessionId));
    expect(await srv.store.getSession(sessionId)).toMatchObject({ mode: 'bot', assignee: null });
    const events = (await srv.store.events(new Date(0), new Date(Date.now() + 60_000))).filter((e) => e.sessionId === sessionId);
    expect(events.find((e) => e.type === 'queue_left')).toMatchObject({ actor: 'user', data: { why: 'user' } });
    // The transcript holds what the answer gave.
    const transcript = (await (await fetch(`${srv.url}/api/sessions/${sessionId}/transcript`)).json()) as { entries: { text: string }[] };
    expect(transcript.entries.map((e) => e.text)).toContain('已为您取消排队。');

    // The bot serves the conversation again: a message is answered, not routed to the queue.
    const next = await say('手机还是开不了机', sessionId);
    expect(next.routedTo).toBeUndefined();
    expect(next.replies.length).toBeGreaterThan(0);
    // Nothing left to leave.
    expect(await errorOf(await leave(sessionId))).toEqual([409, 'NOT_QUEUED']);
  });

  it('ends a conversation an agent serves: the agent is told the user left, nobody is rated', async () => {
    const sessionId = await queuedRestUser();
    expect(await wang.emit('claim', { sessionId })).toMatchObject({ ok: true });
    expect(await say('你好', sessionId)).toEqual({ sessionId, replies: [], routedTo: 'agent' });
    const res = await leave(sessionId);
    expect(res.status).toBe(200);
    const body = restLeaveQueueResponseSchema.parse(await res.json());
    expect(body.replies.map((m) => [m.from, m.text])).toEqual([['system', expect.stringMatching(/^您已结束与人工客服的对话。/)]]);
    await wang.latest('released', (r: { sessionId: string; why: string }) => r.sessionId === sessionId && r.why === 'user_left');
    expect(await srv.store.getSession(sessionId)).toMatchObject({ mode: 'bot', assignee: null, ratingFor: null });
    expect(await wang.emit('send', { sessionId, text: '还在吗？' })).toMatchObject({ ok: false, error: { code: 'NOT_YOURS' } });
  });

  it('answers an unknown or malformed session 404 UNKNOWN_SESSION, and a GET 404 NOT_FOUND', async () => {
    expect(await errorOf(await leave('0123456789abcdef0123456789abcdef'))).toEqual([404, 'UNKNOWN_SESSION']);
    expect(await errorOf(await leave('not-an-id'))).toEqual([404, 'UNKNOWN_SESSION']);
    expect(await errorOf(await leave('%E0%A4%A'))).toEqual([404, 'UNKNOWN_SESSION']);
    const { sessionId } = await say('你好');
    expect(await errorOf(await fetch(`${srv.url}/api/sessions/${sessionId}/leave-queue`))).toEqual([404, 'NOT_FOUND']);
  });
});
