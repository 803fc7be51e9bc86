/**
 * The reports over real conversations: a real server (real bot, SQLite file),
 * users on the widget's socket, an agent on /desk. Every expected number is
 * counted by hand from the scripts below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

async function say(srv: TestServer, lines: string[]) {
  const c = await connect(srv.url);
  for (const line of lines) expect(await c.send(line)).toMatchObject({ ok: true });
  return c;
}

describe('reports over scripted conversations', () => {
  let srv: TestServer;
  let admin: AgentAtDesk;
  let wang: AgentAtDesk;
  const get = (path: string, who: AgentAtDesk = admin) => fetch(`${srv.url}${path}`, { headers: { cookie: who.cookie } });

  beforeAll(async () => {
    srv = await startTestServer();
    admin = await agentAtDesk(srv, 'boss', '主管', { role: 'admin' });
    wang = await agentAtDesk(srv, 'wang', '小王');
    // A: solved by the bot, rated 5.
    (await say(srv, ['手机开不了机', '进过水', '解决了', '5'])).close();
    // B: handed over, served and closed by an agent, rated 4.
    const b = await say(srv, ['我是移动的，手机开不了机', '转人工']);
    expect(await wang.emit('claim', { sessionId: b.sessionId })).toMatchObject({ ok: true });
    expect(await wang.emit('send', { sessionId: b.sessionId, text: '您好，我是小王，请问手机现在能充上电吗？' })).toMatchObject({ ok: true });
    expect(await wang.emit('close', { sessionId: b.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
    expect(await b.send('4')).toMatchObject({ ok: true });
    b.close();
    // C: first not understood, then solved by the bot, rated 2.
    (await say(srv, ['呜啦啦巴拉巴拉', '手机开不了机', '进过水', '解决了', '2'])).close();
    // D: not understood, and gone.
    (await say(srv, ['啵啵啵啵啵'])).close();
  });
  afterAll(async () => {
    admin.close();
    wang.close();
    await srv.close();
  });

  it('gives the numbers counted by hand', async () => {
    const res = await get(`/api/desk/stats?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as Record<string, unknown>;
    expect(s).toMatchObject({
      conversations: 4,
      contained: 3,
      containmentRate: 0.75,
      handovers: 1,
      handoverRate: 0.25,
      turns: 4 + 3 + 5 + 1,
      fallbacks: 2,
      fallbackRate: Math.round((2 / 13) * 10_000) / 10_000,
      csat: {
        average: Math.round(((5 + 4 + 2) / 3) * 100) / 100,
        count: 3,
        distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 },
        bot: { average: 3.5, count: 2 },
        agent: { average: 4, count: 1 },
      },
      queue: { queued: 1, claimed: 1, abandoned: 0 },
      agents: { firstResponse: { count: 1 }, resolution: { count: 1 } },
    });
  });
});
