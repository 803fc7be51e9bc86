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

  it('counts each conversation once by the topic it opened with, never the answers (「解决了」, 「5」) or 转人工', async () => {
    const s = (await (await get(`/api/desk/stats?from=${today}&to=${today}`)).json()) as { intents: Record<string, number>; noTopic: number };
    // A, B and C opened with 开不了机 (C after a line not understood); D named no topic.
    expect(s.intents).toEqual({ wont_boot: 3 });
    expect(s.noTopic).toBe(1);
  });

  it('refuses bad dates with a code, and agents who are not admins', async () => {
    for (const q of ['', '?from=2026-12-01', '?from=2026-13-01&to=2026-12-02', '?from=2026-02-30&to=2026-03-01', '?from=2026-12-05&to=2026-12-01', '?from=20261201&to=20261202']) {
      const res = await get(`/api/desk/stats${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } });
    }
    expect((await get(`/api/desk/stats?from=${today}&to=${today}`, wang)).status).toBe(403);
    expect((await fetch(`${srv.url}/api/desk/stats?from=${today}&to=${today}`)).status).toBe(401);
  });

  it('exports conversations, tickets and ratings as CSV with a BOM', async () => {
    const res = await get(`/api/desk/export/conversations.csv?from=${today}&to=${today}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('session,started,day,lang,channel,turns,not_understood,topic,handed_over,agent,resolution,rating');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => [r[5], r[6], r[7], r[8], r[9], r[11]]).sort()).toEqual(
      [
        ['4', '0', 'wont_boot', 'no', '', '5'],
        ['3', '0', 'wont_boot', 'yes', 'wang', '4'],
        ['5', '1', 'wont_boot', 'no', '', '2'],
        ['1', '1', '', 'no', '', ''],
      ].sort(),
    );
    const ratings = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await get(`/api/desk/export/ratings.csv?from=${today}&to=${today}`)).arrayBuffer());
    expect(ratings.startsWith('\uFEFFsession,ticket,at,score,served_by,agent\r\n')).toBe(true);
    expect(ratings.trimEnd().split('\r\n').slice(1).map((l) => l.split(',').slice(3, 5)).sort()).toEqual([['2', 'bot'], ['4', 'agent'], ['5', 'bot']]);
    const tickets = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await get(`/api/desk/export/tickets.csv?from=${today}&to=${today}`)).arrayBuffer());
    const ticketRows = tickets.trimEnd().split('\r\n').slice(1);
    expect(ticketRows.length).toBeGreaterThanOrEqual(3);
    expect(ticketRows.every((l) => /^T\d{8}-\d{4,},/.test(l))).toBe(true);
  });

  it('gives the same totals in the CSV as in the stats (cards and tables never disagree)', async () => {
    const s = (await (await get(`/api/desk/stats?from=${today}&to=${today}`)).json()) as { conversations: number; handovers: number; turns: number; fallbacks: number; csat: { count: number } };
    const text = async (file: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await get(`/api/desk/export/${file}?from=${today}&to=${today}`)).arrayBuffer()).slice(1).trimEnd().split('\r\n');
    const [head, ...rows] = await text('conversations.csv');
    const col = (name: string) => head!.split(',').indexOf(name);
    const cells = rows.map((r) => r.split(','));
    const sum = (name: string) => cells.reduce((n, c) => n + Number(c[col(name)]), 0);
    expect(cells).toHaveLength(s.conversations);
    expect(cells.filter((c) => c[col('handed_over')] === 'yes')).toHaveLength(s.handovers);
    expect(sum('turns')).toBe(s.turns);
    expect(sum('not_understood')).toBe(s.fallbacks);
    expect(cells.filter((c) => c[col('rating')] !== '')).toHaveLength(s.csat.count);
    expect((await text('ratings.csv')).slice(1)).toHaveLength(s.csat.count);
  });

  it('draws the funnel of the dialog the conversations went through', async () => {
    const res = await get(`/api/desk/stats/funnels?from=${today}&to=${today}`);
    const { funnels } = (await res.json()) as { funnels: { dialog: string; entered: number; reached: Record<string, number>; handover: { node: string; count: number }[] }[] };
    const wontBoot = funnels.find((f) => f.dialog === 'wont_boot')!;
    // A and C were rated in wont_boot (C's 2 stars then went on to a person); B was
    // handed over at a question, and its agent's service rated in the human dialog.
    expect(wontBoot).toMatchObject({ entered: 3, reached: { accept: 3, rated: 2 } });
    expect(funnels.find((f) => f.dialog === 'human_agent')).toMatchObject({ reached: { rated: 1 } });
    expect(wontBoot.handover.reduce((n, h) => n + h.count, 0)).toBe(1);
  });

  it('names each dialog and node by its own words in the report’s language, the id beside it, and in the CSV', async () => {
    type Named = { funnels: { dialog: string; title?: string; handover: { node: string; count: number; title?: string }[]; notUnderstood: { node: string; title?: string }[] }[] };
    const zh = ((await (await get(`/api/desk/stats/funnels?from=${today}&to=${today}&lang=zh`)).json()) as Named).funnels.find((f) => f.dialog === 'wont_boot')!;
    const en = ((await (await get(`/api/desk/stats/funnels?from=${today}&to=${today}&lang=en`)).json()) as Named).funnels.find((f) => f.dialog === 'wont_boot')!;
    // B asked for a person at the first question, 「请问手机最近是否进过水或摔过？」 (its carrier named, nothing else).
    expect(zh.title).toBe('手机开不了机');
    expect(en.title).toBe("phone won't turn on");
    expect(zh.handover).toEqual([{ node: 'ask_damage', count: 1, title: '请问手机最近是否进过水或摔过？' }]);
    expect(en.handover).toEqual([{ node: 'ask_damage', count: 1, title: 'Has the phone got wet or been dropped recently?' }]);
    // Without lang, Chinese.
    const plain = ((await (await get(`/api/desk/stats/funnels?from=${today}&to=${today}`)).json()) as Named).funnels.find((f) => f.dialog === 'wont_boot')!;
    expect(plain.handover[0]!.title).toBe(zh.handover[0]!.title);

    const res = await get(`/api/desk/export/funnels.csv?from=${today}&to=${today}&lang=zh`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('dialog,dialog_title,entered,where,node,node_text,count');
    expect(lines).toContain('wont_boot,手机开不了机,3,handover,ask_damage,请问手机最近是否进过水或摔过？,1');
    const rows = lines.slice(1).map((l) => l.split(','));
    const total = (f: Named['funnels'][number]) => f.handover.length + f.notUnderstood.length;
    expect(rows.filter((r) => r[0] === 'wont_boot' && r[3] !== 'abandoned')).toHaveLength(total(zh));
  });
});
