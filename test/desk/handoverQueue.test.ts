/**
 * The user's side of the queue on a real server, over the widget's socket:
 * the place in the queue moves as others are served or leave, an agent's
 * joining and messages arrive by name, and a reload (a new socket offering
 * the same session) is told who serves the chat and reads it all back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStatus, HistoryAck } from '../../server/protocol.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { io } from 'socket.io-client';
import { connect, type ClientSocket } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

/** Connects offering `sessionId` (as a reloaded widget does), recording every `status` from the handshake on. */
async function reload(srv: TestServer, sessionId: string): Promise<{ socket: ClientSocket; statuses: ConversationStatus[]; texts: string[] }> {
  const socket: ClientSocket = io(srv.url, { auth: { sessionId }, transports: ['websocket'], reconnection: false, forceNew: true });
  const statuses: ConversationStatus[] = [];
  const texts: string[] = [];
  socket.on('status', (s) => statuses.push(s));
  socket.on('bot_message', (m) => texts.push(m.text));
  const offered = await new Promise<string>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('session', (e) => resolve(e.sessionId));
  });
  expect(offered).toBe(sessionId);
  return { socket, statuses, texts };
}

describe('the queue as the user sees it', () => {
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

  it('moves the place as the one ahead is served, names the agent, and redraws on a reload', async () => {
    const first = await connect(srv.url);
    const second = await connect(srv.url);
    const seen: ConversationStatus[] = [];
    second.socket.on('status', (s) => seen.push(s));
    expect(await first.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
    expect(await second.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
    await expect.poll(() => seen.at(-1)).toMatchObject({ mode: 'queued', position: 2 });
    const eta2 = (seen.at(-1) as { etaMinutes: number }).etaMinutes;
    expect(eta2).toBeGreaterThanOrEqual(1);

    // A reload while waiting: the place again, without asking.
    const waiting = await reload(srv, second.sessionId);
    await expect.poll(() => waiting.statuses.at(-1)).toMatchObject({ mode: 'queued', position: 2 });

    const before = first.botMessages.length;
    expect(await wang.emit('claim', { sessionId: first.sessionId })).toMatchObject({ ok: true });
    expect((await first.nextBotMessage(before)).text).toBe('客服小王已为您服务。');
    await expect.poll(() => seen.at(-1)).toMatchObject({ mode: 'queued', position: 1 });
    expect((seen.at(-1) as { etaMinutes: number }).etaMinutes).toBeLessThanOrEqual(eta2);
    await expect.poll(() => waiting.statuses.at(-1)).toMatchObject({ mode: 'queued', position: 1 });

    expect(await wang.emit('send', { sessionId: first.sessionId, text: '您好，我来帮您看看。' })).toMatchObject({ ok: true });
    const agentSaid = await first.nextBotMessage(before + 1);
    expect(agentSaid).toMatchObject({ from: 'agent', agentName: '小王', text: '您好，我来帮您看看。' });

    // A reload of the served chat: the agent by name, and the transcript with the notice and the agent's message.
    const served = await reload(srv, first.sessionId);
    await expect.poll(() => served.statuses.at(-1)).toEqual({ mode: 'agent', agentName: '小王' });
    const history = (await served.socket.timeout(5000).emitWithAck('history')) as HistoryAck;
    expect(history.ok).toBe(true);
    const entries = history.ok ? history.entries : [];
    expect(entries.map((e) => [e.role, e.text])).toEqual(
      expect.arrayContaining([
        ['system', '客服小王已为您服务。'],
        ['agent', '您好，我来帮您看看。'],
      ]),
    );
    expect(entries.find((e) => e.role === 'agent')?.message).toMatchObject({ from: 'agent', agentName: '小王' });
    // The bot never answered while the chat was queued or served.
    expect(entries.filter((e) => e.role === 'bot').map((e) => e.text).at(-1)).toMatch(/正在为您转接人工客服/);

    // The second user stops waiting: back to the assistant, which says so; the desk's queue is empty.
    const ack = (await second.socket.timeout(5000).emitWithAck('leave_queue')) as { ok: boolean };
    expect(ack.ok).toBe(true);
    await expect.poll(() => seen.at(-1)).toEqual({ mode: 'bot' });
    await expect.poll(() => second.botMessages.map((m) => m.text)).toEqual(expect.arrayContaining(['已为您取消排队。', expect.stringMatching(/我们继续/)]));
    expect(await srv.store.queue()).toEqual([]);
    // Leaving twice: nothing to leave.
    expect(await second.socket.timeout(5000).emitWithAck('leave_queue')).toMatchObject({ ok: false, error: { code: 'NOT_QUEUED' } });

    expect(await wang.emit('close', { sessionId: first.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
    await expect.poll(() => served.texts).toEqual(expect.arrayContaining([expect.stringMatching(/请为客服小王这次的服务打个分/)]));
    const afterClose = await reload(srv, first.sessionId);
    await expect.poll(() => afterClose.statuses.at(-1)).toEqual({ mode: 'bot' });
    for (const c of [first, second]) c.close();
    for (const r of [waiting, served, afterClose]) r.socket.close();
  });
});
