/**
 * The outage watch: places named in messages, the spike rule on synthetic
 * traffic (fires on a spike, not on normal traffic), and through a real
 * server an alert, a published notice given first by the bot, and the
 * reports counting whom it reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlace, findPlaces } from '../../server/nlu/entities/places.js';
import { OUTAGE_RULE, spikes, type Observation } from '../../server/reports/outage.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const MIN = 60_000;

describe('places', () => {
  it.each([
    ['我在深圳南山，移动没信号', { name: '深圳', province: '广东', kind: 'city' }],
    ['广东省这边联通断网了', { name: '广东', province: '广东', kind: 'province' }],
    ['吉林市今天没网', { name: '吉林', province: '吉林', kind: 'city' }],
    ['内蒙古呼和浩特', { name: '内蒙古', province: '内蒙古', kind: 'province' }],
    ['上海浦东信号很差', { name: '上海', province: '上海', kind: 'province' }],
  ])('%s', (text, place) => {
    expect(findPlace(text)).toEqual(place);
  });
  it('finds none where none is named, and all where several are', () => {
    expect(findPlace('手机没信号了')).toBeNull();
    expect(findPlaces('从杭州到南京都没信号').map((p) => p.province)).toEqual(['浙江', '江苏']);
  });
});

/** Steady traffic: `perWindow` reports of each key in every 15-minute window of the last day. */
function normalDay(now: number, perWindow: number, keys: Omit<Observation, 'at'>[]): Observation[] {
  const out: Observation[] = [];
  for (let t = now - OUTAGE_RULE.baselineMs - OUTAGE_RULE.windowMs; t < now; t += OUTAGE_RULE.windowMs / perWindow) {
    for (const k of keys) out.push({ ...k, at: t + 1 });
  }
  return out;
}

describe('the spike rule on synthetic traffic', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');
  const since = now - 2 * OUTAGE_RULE.baselineMs;
  const keys = [
    { intent: 'no_network', carrier: 'cmcc', province: '广东' },
    { intent: 'no_network', carrier: 'cucc', province: null },
    { intent: 'no_network', carrier: 'ctcc', province: '北京' },
  ];

  it('does not fire on normal traffic, even busy traffic', () => {
    expect(spikes(normalDay(now, 1, keys), now, since)).toEqual([]);
    expect(spikes(normalDay(now, 4, keys), now, since)).toEqual([]);
  });

  it('does not fire on a couple of reports more than usual', () => {
    const extra = [1, 2, 3].map((i) => ({ ...keys[0]!, at: now - i * MIN }));
    expect(spikes([...normalDay(now, 2, keys), ...extra], now, since)).toEqual([]);
  });

  it('fires on a spike of one carrier in one province, and names them', () => {
    const spike = Array.from({ length: 12 }, (_, i) => ({ ...keys[0]!, at: now - i * MIN }));
    const fired = spikes([...normalDay(now, 1, keys), ...spike], now, since);
    expect(fired.map((a) => a.key).sort()).toEqual(['no_network|cmcc|*', 'no_network|cmcc|广东']);
    expect(fired.find((a) => a.key === 'no_network|cmcc|广东')).toMatchObject({ carrier: 'cmcc', province: '广东', current: 13, expected: 1 });
  });

  it('fires on a spike of a carrier when users name no place', () => {
    const spike = Array.from({ length: 8 }, (_, i) => ({ intent: 'no_network', carrier: 'cucc', province: null, at: now - i * MIN }));
    expect(spikes([...normalDay(now, 1, keys), ...spike], now, since).map((a) => a.key)).toEqual(['no_network|cucc|*']);
  });
});

describe('an outage at the desk and in the bot', () => {
  let srv: TestServer;
  let admin: AgentAtDesk;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const api = (path: string, body?: unknown) =>
    fetch(`${srv.url}/api/desk${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-kefu-csrf': admin.csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  beforeAll(async () => {
    srv = await startTestServer();
    admin = await agentAtDesk(srv, 'boss', '主管', { role: 'admin' });
  });
  afterAll(async () => {
    admin.close();
    await srv.close();
  });

  it('raises an alert when many users of one carrier in one province lose the network', async () => {
    expect(((await (await api('/outage')).json()) as { alerts: unknown[] }).alerts).toEqual([]);
    for (let i = 0; i < 5; i++) {
      const c = await connect(srv.url);
      await c.send('我是移动的，在广州，手机没信号了');
      c.close();
    }
    const { alerts } = (await (await api('/outage')).json()) as { alerts: { intent: string; carrier: string | null; province: string | null; current: number }[] };
    expect(alerts).toEqual(expect.arrayContaining([expect.objectContaining({ intent: 'no_network', carrier: 'cmcc', province: '广东', current: 5 })]));
  });

  it('gives a published notice first, once, to affected users only, and counts whom it reached', async () => {
    const endsAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect((await api('/outage/notices', { carrier: 'cmcc', province: '广东', endsAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const res = await api('/outage/notices', { carrier: 'cmcc', province: '广东', endsAt });
    expect(res.status).toBe(200);
    const { notice } = (await res.json()) as { notice: { id: string; text: { zh: string } } };
    expect(notice.text.zh).toMatch(/^目前广东地区移动网络出现故障，正在抢修，预计\d+月\d+日\d\d:\d\d恢复。/);

    const affected = await connect(srv.url);
    const first = await affected.send('我是移动的，在深圳，手机没信号了');
    expect(first).toMatchObject({ ok: true });
    const replies = (first as { replies: { text: string; from?: string }[] }).replies;
    expect(replies[0]).toMatchObject({ text: notice.text.zh, from: 'system' });
    expect(replies.length).toBeGreaterThan(1);
    const again = (await affected.send('还是没信号')) as { replies: { text: string }[] };
    expect(again.replies.map((r) => r.text)).not.toContain(notice.text.zh);

    for (const line of ['我是联通的，在广州，手机没信号了', '我是移动的，在北京，手机没信号了', '手机开不了机']) {
      const other = await connect(srv.url);
      const r = (await other.send(line)) as { replies: { text: string }[] };
      expect(r.replies.map((m) => m.text), line).not.toContain(notice.text.zh);
      other.close();
    }
    affected.close();

    const stats = (await (await api(`/stats?from=${today}&to=${today}`)).json()) as { notices: Record<string, number> };
    expect(stats.notices).toEqual({ [notice.id]: 1 });
    expect(((await (await api('/outage')).json()) as { notices: { id: string }[] }).notices.map((n) => n.id)).toEqual([notice.id]);
    expect(await (await api(`/outage/notices/${notice.id}/end`, {})).json()).toEqual({ ok: true });
    expect(((await (await api('/outage')).json()) as { notices: unknown[] }).notices).toEqual([]);
  });
});
