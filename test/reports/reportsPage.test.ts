/**
 * The reports page at /desk/reports in real Chromium against a real server
 * (port 0, SQLite in a temp dir, the real bot): conversations seeded through
 * the widget's socket and an agent at the desk, then an admin signs in on the
 * page and sees the stats API's own numbers, by day and by hour, the funnel,
 * the inbox (opens a conversation, labels a group, exports the patch), the
 * CSV links, sees a spike's outage alerts and publishes a notice the bot then
 * gives. An agent who is not an admin is refused. No CSP violation anywhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { openPage } from '../widget/browser.js';
import { useKefuAndBrowser } from '../widget/setup.js';
import { assertAppBuilt } from '../helpers/built.js';

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const FLIGHT = '帮我订一张去上海的机票';

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

interface Stats {
  conversations: number;
  containmentRate: number | null;
  handoverRate: number | null;
  fallbackRate: number | null;
  fallbacks: number;
  turns: number;
  intents: Record<string, number>;
  noTopic: number;
  csat: { average: number | null; count: number; bot: { distribution: Record<string, number> }; agent: { distribution: Record<string, number> } };
  complaints: number;
  series: { bucket: string; conversations: number; contained: number; handovers: number; fallbacks: number }[];
}

const env = useKefuAndBrowser();
let admin: AgentAtDesk;

async function say(lines: string[]) {
  const c = await connect(env.server.url);
  for (const line of lines) expect(await c.send(line)).toMatchObject({ ok: true });
  return c;
}

const api = async <T,>(path: string): Promise<T> => (await fetch(`${env.server.url}${path}`, { headers: { cookie: admin.cookie } })).json() as Promise<T>;

beforeAll(async () => {
  assertAppBuilt('reports');
  admin = await agentAtDesk(env.server, 'boss', '主管', { role: 'admin' });
  const wang = await agentAtDesk(env.server, 'wang', '小王');
  // Solved by the bot, rated 5.
  (await say(['手机开不了机', '进过水', '解决了', '5'])).close();
  // Handed over, served and closed by an agent, rated 4.
  const b = await say(['手机开不了机', '转人工']);
  expect(await wang.emit('claim', { sessionId: b.sessionId })).toMatchObject({ ok: true });
  expect(await wang.emit('send', { sessionId: b.sessionId, text: '您好，我是小王，请问手机现在能充上电吗？' })).toMatchObject({ ok: true });
  expect(await wang.emit('close', { sessionId: b.sessionId, resolution: 'resolved' })).toEqual({ ok: true });
  expect(await b.send('4')).toMatchObject({ ok: true });
  b.close();
  wang.close();
  // Not understood twice (one group of two in the inbox), then solved and rated 2.
  (await say([FLIGHT, '手机开不了机', '进过水', '解决了', '2'])).close();
  (await say([`${FLIGHT}！`])).close();
});
afterAll(() => admin?.close());

/** Opens /desk/reports (or a path below it) and signs in on the desk's form; collects page errors and the CSP's refusals. */
async function signIn(login: string, password: string, path = '/desk/reports'): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openPage(env.browser);
  // The signed-out /api/desk/me (401) logs an error too; only the CSP's refusals count here.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(env.server.url + path);
  await page.locator('form.login input[name="login"]').fill(login);
  await page.locator('form.login input[name="password"]').fill(password);
  await page.locator('form.login button[type="submit"]').click();
  return { page, errors };
}

const metric = (page: Page, key: string) => page.locator(`.metric[data-metric="${key}"] .metric-value`);

describe('the reports page', () => {
  it('is served below /desk/reports with the desk’s CSP', async () => {
    const [reports, deep, desk] = (await Promise.all(['/desk/reports', '/desk/reports/conversations/x', '/desk'].map((p) => fetch(env.server.url + p)))) as [Response, Response, Response];
    for (const res of [reports, deep]) {
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>kefu 运营报表</title>');
      expect(res.headers.get('content-security-policy')).toBe(desk.headers.get('content-security-policy'));
    }
    expect(desk.headers.get('content-security-policy')).toMatch(/script-src 'self';.*style-src 'self';/);
  });

  it('shows an admin the stats API’s numbers, by day and by hour, and the funnel', async () => {
    const stats = await api<Stats>(`/api/desk/stats?from=${today}&to=${today}`);
    // The seeded traffic, counted by hand, so the page is not compared with zeros.
    expect(stats).toMatchObject({ conversations: 4, handoverRate: 0.25, fallbacks: 2, csat: { count: 3 } });

    const { page, errors } = await signIn('boss', 'pw-boss-123', `/desk/reports?from=${today}&to=${today}&by=day`);
    try {
      await page.locator('.metrics').waitFor();
      expect(await page.title()).toBe('kefu 运营报表');
      expect(await metric(page, 'conversations').textContent()).toBe(String(stats.conversations));
      expect(await metric(page, 'containmentRate').textContent()).toBe(percent(stats.containmentRate));
      expect(await metric(page, 'handoverRate').textContent()).toBe(percent(stats.handoverRate));
      expect(await metric(page, 'fallbackRate').textContent()).toBe(percent(stats.fallbackRate));
      expect(await page.locator('.metric[data-metric="fallbackRate"] .metric-sub').textContent()).toBe(`${stats.fallbacks} / ${stats.turns} 轮`);
      expect(await metric(page, 'csat').textContent()).toBe(stats.csat.average!.toFixed(2));
      expect(await metric(page, 'complaints').textContent()).toBe(String(stats.complaints));

      // The charts are drawn (canvas) and carry the API's numbers.
      await page.locator('[data-chart="intents"] canvas').waitFor();
      const intents = await page.locator('[data-chart="intents"] .chart').getAttribute('aria-label');
      // What conversations opened with, one count each: the three about 开不了机, and the one that raised nothing the bot knows.
      expect(await page.locator('[data-chart="intents"] h2').textContent()).toBe('对话的开场问题');
      expect(stats.intents).toEqual({ wont_boot: 3 });
      expect(intents).toBe(`对话的开场问题: 开不了机 ${stats.intents.wont_boot}, 未提出问题 ${stats.noTopic}`);
      const csat = await page.locator('[data-chart="csat"] .chart').getAttribute('aria-label');
      expect(csat).toContain(`仅机器人 · 2: 1 分 0, 2 分 ${stats.csat.bot.distribution['2']}, 3 分 0, 4 分 0, 5 分 ${stats.csat.bot.distribution['5']}`);
      expect(csat).toContain(`有人工参与 · 1: 1 分 0, 2 分 0, 3 分 0, 4 分 ${stats.csat.agent.distribution['4']}, 5 分 0`);

      // A tooltip (drawn on the canvas: the CSP allows no inline style).
      const box = (await page.locator('[data-chart="intents"] canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 3, box.y + 16);
      await page.mouse.move(box.x + box.width / 3 + 4, box.y + 18);

      // By hour: the address and the trend follow, 24 buckets of the API's series.
      await page.locator('.range select[name="by"]').selectOption('hour');
      await page.locator('.range button[type="submit"]').click();
      await page.waitForURL(/by=hour/);
      const hourly = await api<Stats>(`/api/desk/stats?from=${today}&to=${today}&by=hour`);
      expect(hourly.series).toHaveLength(24);
      await page.locator('[data-chart="trend"] canvas').waitFor();
      const trend = await page.locator('[data-chart="trend"] .chart').getAttribute('aria-label');
      const sum = (k: 'contained' | 'handovers' | 'fallbacks') => hourly.series.reduce((n, p) => n + p[k], 0);
      expect(trend).toBe(`对话趋势: 机器人解决 ${sum('contained')}, 转人工 ${sum('handovers')}, 未理解轮次 ${sum('fallbacks')}`);

      // The CSV links are for the range, and download with the session.
      expect(await page.locator('a[data-csv="ratings"]').getAttribute('href')).toBe(`/api/desk/export/ratings.csv?from=${today}&to=${today}&by=hour`);
      const csv = await page.request.get(env.server.url + (await page.locator('a[data-csv="conversations"]').getAttribute('href'))!);
      expect(csv.status()).toBe(200);
      const body = await csv.body();
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8').trimEnd().split('\r\n')).toHaveLength(1 + stats.conversations);

      // A new conversation shows when the page asks again.
      (await say(['手机卡顿怎么办'])).close();
      const more = await api<Stats>(`/api/desk/stats?from=${today}&to=${today}`);
      expect(more.conversations).toBe(stats.conversations + 1);
      await page.locator('.range button[type="submit"]').click();
      await page.locator('.metric[data-metric="conversations"] .metric-value', { hasText: String(more.conversations) }).waitFor();
      expect(await metric(page, 'handoverRate').textContent()).toBe(percent(more.handoverRate));

      // Where the bot gives up: the funnel of the dialog, as the API has it.
      type Funnels = { funnels: { dialog: string; entered: number; reached: Record<string, number>; handover: { node: string; count: number; title: string }[] }[] };
      const { funnels } = await api<Funnels>(`/api/desk/stats/funnels?from=${today}&to=${today}&lang=zh`);
      const wontBoot = funnels.find((f) => f.dialog === 'wont_boot')!;
      await page.locator('.tabs a', { hasText: '对话漏斗' }).click();
      const section = page.locator('.funnel[data-dialog="wont_boot"]');
      await section.locator('canvas').waitFor();
      expect(await section.locator('h2').textContent()).toContain(`${wontBoot.entered} 个对话`);
      expect(await section.locator('.chart').getAttribute('aria-label')).toContain(`受理 ${wontBoot.reached.accept}`);
      expect(await section.locator('.chart').getAttribute('aria-label')).toContain(`已评价 ${wontBoot.reached.rated}`);
      // Each node by the question it asks, its id on hover.
      expect(wontBoot.handover.map((n) => n.title)).toEqual(['请问手机最近是否进过水或摔过？']);
      for (const n of wontBoot.handover) {
        const item = section.locator(`[data-kind="handover"] li[data-node="${n.node}"]`);
        expect(await item.textContent()).toBe(`${n.title} ${n.count} 次`);
        expect(await item.getAttribute('title')).toBe(`wont_boot.${n.node}`);
      }
      expect(await page.locator('a[data-csv="funnels"]').getAttribute('href')).toBe(`/api/desk/export/funnels.csv?from=${today}&to=${today}&by=hour&lang=zh`);
      // In English, the same nodes in English words.
      await page.locator('.top button.lang').click();
      const english = (await api<Funnels>(`/api/desk/stats/funnels?from=${today}&to=${today}&lang=en`)).funnels.find((f) => f.dialog === 'wont_boot')!;
      await section.locator('[data-kind="handover"] li', { hasText: 'Has the phone got wet or been dropped recently?' }).waitFor();
      expect(english.handover.map((n) => n.title)).toEqual(['Has the phone got wet or been dropped recently?']);
      await page.locator('.top button.lang').click();
      await section.locator('[data-kind="handover"] li', { hasText: '请问手机最近是否进过水或摔过？' }).waitFor();

      // The same page in English.
      await page.locator('.top button.lang').click();
      await page.locator('.tabs a', { hasText: 'Overview' }).click();
      await page.locator('.metric[data-metric="conversations"] .metric-label', { hasText: 'Conversations' }).waitFor();
      expect(await metric(page, 'conversations').textContent()).toBe(String(more.conversations));
      await page.locator('.top button.lang').click();
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('lets an admin open, label and export the inbox', async () => {
    const { page, errors } = await signIn('boss', 'pw-boss-123', `/desk/reports/inbox?from=${today}&to=${today}`);
    try {
      const group = page.locator('.group', { hasText: FLIGHT });
      await group.waitFor();
      expect(await group.getAttribute('data-count')).toBe('2');
      expect(await group.locator('.group-count').textContent()).toBe('2');
      // Its link opens the conversation on the page, the user's line in it.
      await group.locator('.group-actions a').click();
      await page.waitForURL(/\/desk\/reports\/conversations\//);
      await page.locator('.report-conversation .line--user', { hasText: FLIGHT }).waitFor();
      await page.locator('.report-conversation .conv-title button').click();
      await page.waitForURL(/\/desk\/reports\/inbox/);
      // Labelled out of scope: the label shows, and the patch carries both lines' text as out-of-scope examples.
      await group.locator('select[name="label"]').selectOption('out_of_scope');
      await group.locator('.group-actions button').click();
      await page.locator('.group', { hasText: FLIGHT }).locator('.group-label--done', { hasText: '超出范围' }).waitFor();
      await page.locator('button.export-patch').click();
      await page.locator('.patch-oos').waitFor();
      expect(await page.locator('.patch-oos').textContent()).toContain(`  - ${FLIGHT}`);
      const patch = await api<{ outOfScope: string[]; count: number }>(`/api/desk/inbox/export?from=${today}&to=${today}`);
      expect(patch.outOfScope).toContain(FLIGHT);
      expect(await page.locator('.patch h2').textContent()).toContain(`共 ${patch.count} 条`);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('shows the outage alerts, publishes a notice for one that the bot then gives, and ends it', async () => {
    // A spike: five China Mobile users in 广州 lose the network within minutes.
    for (let i = 0; i < 5; i++) (await say(['我是移动的，在广州，手机没信号了'])).close();
    const { alerts } = await api<{ alerts: { key: string; current: number }[] }>('/api/desk/outage');
    expect(alerts.map((a) => a.key).sort()).toEqual(['no_network|cmcc|*', 'no_network|cmcc|广东']);
    const { page, errors } = await signIn('boss', 'pw-boss-123', '/desk/reports');
    try {
      // The alerts show on the tab from any tab, and in the watch with their numbers.
      await page.locator('.tabs a[data-tab="outage"] .tab-badge', { hasText: '2' }).waitFor();
      await page.locator('.tabs a[data-tab="outage"]').click();
      const alert = page.locator('.alerts .alert[data-key="no_network|cmcc|广东"]');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('广东 · 中国移动 · 没信号');
      expect(await alert.textContent()).toContain(`最近 15 分钟 ${alerts.find((a) => a.key === 'no_network|cmcc|广东')!.current} 起`);
      // Publishing for the alert fills the form with its carrier and province.
      await alert.locator('button').click();
      expect(await page.locator('.publish select[name="carrier"]').inputValue()).toBe('cmcc');
      expect(await page.locator('.publish select[name="province"]').inputValue()).toBe('广东');
      await page.locator('.publish button[type="submit"]').click();
      const item = page.locator('.notices .notice-item');
      await item.waitFor();
      const text = (await item.locator('p').textContent())!;
      expect(text).toMatch(/^目前广东地区移动网络出现故障，正在抢修，预计/);
      const user = await connect(env.server.url);
      const ack = (await user.send('我是移动的，在深圳，手机没信号了')) as { replies: { text: string }[] };
      expect(ack.replies[0]?.text).toBe(text);
      user.close();
      await item.locator('button').click();
      await page.locator('.notices', { hasText: '目前没有生效的通知' }).waitFor();
      expect(((await api<{ notices: unknown[] }>('/api/desk/outage')).notices)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('is one tab away from the desk for an admin, and says why a range is refused', async () => {
    const { page, errors } = await signIn('boss', 'pw-boss-123', '/desk');
    try {
      await page.locator('.top .tab--reports', { hasText: '运营报表' }).click();
      await page.waitForURL(/\/desk\/reports/);
      await page.locator('.metric[data-metric="conversations"]').waitFor();
      await page.locator('.range input[name="from"]').fill('2026-12-05');
      await page.locator('.range input[name="to"]').fill('2026-12-01');
      await page.locator('.range button[type="submit"]').click();
      await page.locator('.flash[data-kind="error"]', { hasText: '结束日期不能早于开始日期。' }).waitFor();
      expect(page.url()).not.toContain('from=2026-12-05');
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('refuses an agent who is not an admin', async () => {
    await env.server.desk.agents.add('li', '小李', 'agent', 'pw-li-12345');
    const { page } = await signIn('li', 'pw-li-12345');
    try {
      await page.locator('.refused', { hasText: '只有管理员可以查看运营报表。' }).waitFor();
      await page.goto(`${env.server.url}/desk`);
      await page.locator('.top .me', { hasText: '小李' }).waitFor();
      expect(await page.locator('.top .tab--reports').count()).toBe(0);
      expect(await page.locator('.metrics').count()).toBe(0);
      expect((await page.request.get(`${env.server.url}/api/desk/stats?from=${today}&to=${today}`)).status()).toBe(403);
    } finally {
      await page.context().close();
    }
  });
});
