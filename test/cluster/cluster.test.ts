/**
 * Two kefu processes, A and B, on one PostgreSQL and one Redis (both real,
 * throw-away): what one process guarantees holds across the fleet.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIALOGS_DIR } from '../../server/dialog/content.js';
import { Agents } from '../../server/desk/agents.js';
import type { DeskConversation, UserMessageAck } from '../../server/protocol.js';
import { PgStore } from '../../server/store/pgStore.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { startProcess, type KefuProcess } from '../helpers/kefuProcess.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { connect } from '../helpers/socketClient.js';
import type { TestServer } from '../helpers/startServer.js';

let pg: TestPostgres;
let redis: TestRedis;
let store: PgStore;
let env: Record<string, string>;
let a: KefuProcess;
let b: KefuProcess;
const agents: AgentAtDesk[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const url = await pg.createDatabase();
  store = await PgStore.open(url);
  env = { DATABASE_URL: url, REDIS_URL: redis.url, FOLLOW_UP_DELAY: '0s', SWEEP_INTERVAL: '500ms', RATE_LIMIT_SESSION: '20' };
  [a, b] = await Promise.all([startProcess(env), startProcess(env)]);
}, 120_000);

afterAll(async () => {
  for (const ag of agents) ag.close();
  await Promise.all([a?.child.exitCode === null ? a.stop() : null, b?.stop()]);
  await store?.close();
  await Promise.all([pg?.stop(), redis?.stop()]);
});

/** An agent logged in at the desk of process `p` (the account is created in the shared database). */
async function agentOn(p: KefuProcess, login: string, name: string): Promise<AgentAtDesk> {
  const accounts = new Agents(store, () => new Date());
  const srv = { url: p.url, desk: { agents: accounts } } as unknown as TestServer;
  const agent = await agentAtDesk(srv, login, name);
  agents.push(agent);
  return agent;
}

describe('several kefu processes on PostgreSQL and Redis', { timeout: 120_000 }, () => {
  it('hands a user on A over to an agent on B, who sees, claims and replies live', async () => {
    const wang = await agentOn(b, 'wang', '小王');
    const user = await connect(a.url);
    await user.send('我是移动的，手机开不了机');
    // A learns from Redis that an agent is at a desk on B.
    await expect
      .poll(async () => (await user.send('转人工', { clientMessageId: `h-${Date.now()}` })).ok && (await store.getSession(user.sessionId))?.mode, { timeout: 10_000, interval: 1000 })
      .toBe('queued');
    const sessionId = user.sessionId;
    await wang.latest<{ waiting: { sessionId: string }[] }>('queue', (q) => q.waiting.some((w) => w.sessionId === sessionId), 10_000);
    const claimed = (await wang.emit('claim', { sessionId })) as { ok: boolean; conversation: DeskConversation };
    expect(claimed.ok).toBe(true);
    await expect.poll(() => user.botMessages.some((m) => m.from === 'system' && m.text.includes('小王'))).toBe(true);

    const before = user.botMessages.length;
    expect(await wang.emit('send', { sessionId, text: '您好，我是客服小王，我来帮您看看。' })).toMatchObject({ ok: true });
    await expect.poll(() => user.botMessages.slice(before).map((m) => [m.from, m.text])).toEqual([['agent', '您好，我是客服小王，我来帮您看看。']]);
    expect(await user.send('好的，谢谢')).toMatchObject({ ok: true, routedTo: 'agent' });
    await wang.latest('user_message', (m: { text: string }) => m.text === '好的，谢谢');
    expect(await wang.emit('close', { sessionId, resolution: 'resolved' })).toMatchObject({ ok: true });
    user.close();
  });

  it('keeps ticket ids unique under concurrent hand-overs on both processes', async () => {
    const users = await Promise.all(Array.from({ length: 16 }, (_, i) => connect(i % 2 ? a.url : b.url)));
    const acks = await Promise.all(users.map((u) => u.send('手机开不了机')));
    expect(acks.every((x) => x.ok)).toBe(true);
    const tickets = (await Promise.all(users.map((u) => store.tickets(u.sessionId)))).flat();
    expect(tickets).toHaveLength(16);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(16);
    for (const u of users) u.close();
  });

  it('limits a flood split over A and B by one shared limit', async () => {
    const first = await connect(a.url);
    expect(await first.send('你好')).toMatchObject({ ok: true }); // stored now: B can resume it
    const second = await connect(b.url, { auth: { sessionId: first.sessionId } });
    expect(second.sessionId).toBe(first.sessionId);
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? second : first).send(`你好 ${i}`)));
    const limited = acks.filter((x) => !x.ok && x.error.code === 'RATE_LIMITED').length;
    // 20 per 10 s for the session in all (one already spent): each process alone would have let 20 through.
    expect(acks.filter((x) => x.ok).length).toBe(19);
    expect(limited).toBe(21);
    first.close();
    second.close();
  });

  it('fires a follow-up once across the fleet and delivers it to the user on A', async () => {
    const user = await connect(a.url);
    for (const text of ['手机开不了机', '摔过', '安卓', '解决了', '5']) expect(await user.send(text)).toMatchObject({ ok: true });
    await expect.poll(() => user.botMessages.filter((m) => m.step === 'follow_up').length, { timeout: 10_000 }).toBe(1);
    const delivered = user.botMessages.find((m) => m.step === 'follow_up')!;
    await new Promise((r) => setTimeout(r, 2000)); // several sweeps of both processes later
    expect(user.botMessages.filter((m) => m.step === 'follow_up')).toHaveLength(1);
    const transcript = await store.transcript(user.sessionId);
    expect(transcript.filter((e) => e.message?.id === delivered.id)).toHaveLength(1);
    user.close();
  });

  it('goes on serving while Redis is away, not ready meanwhile, and delivers across processes again afterwards', async () => {
    const li = await agentOn(b, 'li', '小李');
    const user = await connect(a.url);
    expect(await user.send('你好')).toMatchObject({ ok: true });
    await redis.halt();
    try {
      // Turns do not need Redis: the limiter's insurance and the store's version checks hold meanwhile.
      expect(await user.send('手机开不了机')).toMatchObject({ ok: true });
      expect(await Promise.all([a, b].map(async (p) => (await fetch(`${p.url}/readyz`)).status))).toEqual([503, 503]);
    } finally {
      await redis.start();
    }
    await expect.poll(async () => (await fetch(`${a.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
    // Once both processes are back on Redis, presence is beaten anew and the hand-over reaches B.
    await expect
      .poll(async () => (await user.send('转人工', { clientMessageId: `r-${Date.now()}` })).ok && (await store.getSession(user.sessionId))?.mode, { timeout: 30_000, interval: 1000 })
      .toBe('queued');
    await expect.poll(async () => (await li.emit('claim', { sessionId: user.sessionId })).ok, { timeout: 10_000, interval: 500 }).toBe(true);
    const before = user.botMessages.length;
    expect(await li.emit('send', { sessionId: user.sessionId, text: '您好，我是小李' })).toMatchObject({ ok: true });
    await expect.poll(() => user.botMessages.slice(before).some((m) => m.text === '您好，我是小李'), { timeout: 30_000 }).toBe(true);
    await li.emit('close', { sessionId: user.sessionId, resolution: 'resolved' });
    user.close();
  });

  it('lets old and new content take turns at a conversation in a rolling deploy; only one whose node vanished restarts', async () => {
    // C runs the next content release: wont_boot's ask_damage is renamed (that node vanished), all else as on B.
    const dir = mkdtempSync(join(tmpdir(), 'kefu-dialogs-'));
    cpSync(DEFAULT_DIALOGS_DIR, dir, { recursive: true });
    const file = join(dir, 'wont_boot.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('ask_damage', 'ask_damage_first'));
    const c = await startProcess({ ...env, DIALOGS_DIR: dir });
    const frameOf = async (id: string) => ((await store.getSession(id))!.state as { frame: { dialog: string; node: string } | null }).frame;
    const said: string[] = [];
    const turn = async (u: { send(text: string): Promise<UserMessageAck> }, text: string) => {
      const ack = await u.send(text);
      if (!ack.ok) throw new Error(`${text}: ${ack.error.code}`);
      said.push(...ack.replies.map((m) => m.text));
      return ack.replies.map((m) => m.text).join('\n');
    };
    try {
      // On a node both releases have, turns alternate B, C, B and the dialog goes on.
      const onB = await connect(b.url);
      for (const text of ['手机开不了机', '都没有']) await turn(onB, text);
      expect(await frameOf(onB.sessionId)).toMatchObject({ dialog: 'wont_boot', node: 'ask_symptom' });
      const onC = await connect(c.url, { auth: { sessionId: onB.sessionId } });
      await turn(onC, '完全没反应');
      expect(await frameOf(onB.sessionId)).toMatchObject({ dialog: 'wont_boot', node: 'ask_os_dead' });
      await turn(onB, '还是不行');
      expect((await frameOf(onB.sessionId))?.dialog).toBe('wont_boot');
      expect(said.length).toBeGreaterThan(3);
      expect(said.filter((t) => t.includes('系统刚刚更新'))).toEqual([]);

      // On the node that vanished, C starts over, keeping what it knew and saying so.
      const gone = await connect(b.url);
      await turn(gone, '手机开不了机');
      expect(await frameOf(gone.sessionId)).toMatchObject({ dialog: 'wont_boot', node: 'ask_damage' });
      const there = await connect(c.url, { auth: { sessionId: gone.sessionId } });
      expect(await turn(there, '摔过')).toMatch(/^抱歉，系统刚刚更新过/);
      for (const u of [onB, onC, gone, there]) u.close();
    } finally {
      await c.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers UNAVAILABLE while PostgreSQL is down, and recovers by itself', async () => {
    const user = await connect(b.url);
    expect(await user.send('你好')).toMatchObject({ ok: true });
    await pg.halt();
    try {
      const ack = await user.send('手机开不了机', { clientMessageId: 'pg-1' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect((await fetch(`${b.url}/readyz`)).status).toBe(503);
    } finally {
      await pg.start();
    }
    await expect.poll(async () => (await fetch(`${b.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
    expect(await user.send('手机开不了机', { clientMessageId: 'pg-1' })).toMatchObject({ ok: true });
    expect((await store.transcript(user.sessionId)).filter((e) => e.text === '手机开不了机')).toHaveLength(1);
    user.close();
  });

  it('after kill -9 of A mid-dialog, the user goes on on B: same session, same node, whole transcript', async () => {
    const user = await connect(a.url);
    const acked: string[] = [];
    for (const [i, text] of ['手机开不了机', '试过了，还是不行'].entries()) {
      const ack = await user.send(text, { clientMessageId: `k-${i}` });
      expect(ack.ok).toBe(true);
      acked.push(text);
    }
    const node = (await store.getSession(user.sessionId))!.state;
    user.socket.emit('user_message', { text: '华为', clientMessageId: 'k-2' }, () => {});
    await a.stop('SIGKILL');
    user.close();

    const again = await connect(b.url, { auth: { sessionId: user.sessionId } });
    expect(again.sessionId).toBe(user.sessionId);
    const stored = (await store.getSession(user.sessionId))!;
    const userTurns = (await store.transcript(user.sessionId)).filter((e) => e.role === 'user').map((e) => e.text);
    if (userTurns.length === 2) expect(stored.state).toEqual(node); // the in-flight third turn never committed: same node
    expect(await again.send('华为', { clientMessageId: 'k-2' })).toMatchObject({ ok: true });
    const h = await again.history();
    if (!h.ok) throw new Error(h.error.message);
    expect(h.entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual([...acked, '华为']);
    again.close();
  });
});
