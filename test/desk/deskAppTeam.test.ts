/**
 * Two agents at their desks in real Chromium against a real server, with a
 * user in the widget: a new waiting conversation beeps, notifies and counts
 * in the title on every desk; a canned reply filled from what the bot learnt;
 * a transfer to a colleague and the colleague's hand-back to the bot; a desk
 * closed mid-conversation gives the conversation back to the queue; after
 * hours, the call-back the user books is on the desk, its number masked until
 * the agent who calls asks for it; auto-assignment as the desk shows it; a server restart while one conversation
 * waits and another is served leaves the open desk as it was.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../helpers/socketClient.js';
import { startTestServer } from '../helpers/startServer.js';
import { openPage, openWidget, say } from '../widget/browser.js';
import { useKefuAndBrowser } from '../widget/setup.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const LAPTOP = { viewport: { width: 1280, height: 800 } } as const;
const PASSWORD = 'desk-pass-123';

const env = useKefuAndBrowser();
beforeAll(async () => {
  await env.server.desk.agents.add('wang', '小王', 'agent', PASSWORD);
  await env.server.desk.agents.add('li', '小李', 'agent', PASSWORD);
});

/**
 * Records what the desk asks of the browser's notifications and WebAudio
 * (headless Chromium has neither speakers nor a notification centre): every
 * Notification shown, every beep's oscillator.
 */
async function recordAlerts(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; body: string }[]; __beeps: number };
    w.__notes = [];
    w.__beeps = 0;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, o: { body?: string } = {}) {
        w.__notes.push({ title, body: o.body ?? '' });
      }
      close(): void {}
    }
    const node = () => ({ connect: (x: unknown) => x });
    class FakeAudio {
      state = 'running';
      currentTime = 0;
      destination = {};
      resume = () => Promise.resolve();
      createOscillator() {
        w.__beeps++;
        return { ...node(), type: '', frequency: { value: 0 }, start() {}, stop() {} };
      }
      createGain() {
        return { ...node(), gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
      }
    }
    Object.assign(window, { Notification: FakeNotification, AudioContext: FakeAudio });
  });
}

async function signIn(page: Page, url: string, login: string): Promise<void> {
  await page.goto(url + '/desk');
  await page.locator('form.login input[name="login"]').fill(login);
  await page.locator('form.login input[name="password"]').fill(PASSWORD);
  await page.locator('form.login button[type="submit"]').click();
  await page.locator('.top .me').waitFor();
  await page.locator('.queue').waitFor();
}

const alertsOf = (page: Page) => page.evaluate(() => ({ notes: (window as never as { __notes: { title: string; body: string }[] }).__notes, beeps: (window as never as { __beeps: number }).__beeps }));

describe('two agents at their desks', () => {
  it('alerts both desks, fills a canned reply from the slots, transfers to a colleague, who hands back to the bot', async () => {
    const wangP = await openPage(env.browser, LAPTOP);
    const liP = await openPage(env.browser, LAPTOP);
    const user = await openPage(env.browser, PHONE);
    const [wang, li, phone] = [wangP.page, liP.page, user.page];
    try {
      await Promise.all([recordAlerts(wang.context()), recordAlerts(li.context())]);
      await signIn(wang, env.server.url, 'wang');
      await signIn(li, env.server.url, 'li');
      // Browsers let a page sound only after a gesture on it.
      await wang.locator('.top h1').click();
      await li.locator('.top h1').click();
      expect(await alertsOf(wang)).toEqual({ notes: [], beeps: 0 });

      await phone.goto(env.server.url + '/');
      const w = await openWidget(phone);
      await say(phone, '我的华为手机开不了机了');
      await w.bots.nth(1).waitFor();
      await say(phone, '转人工');
      await phone.locator('#kefu-widget-host .kefu-handover').waitFor();

      // Every desk hears of it: the beep, the notification, the title.
      for (const desk of [wang, li]) {
        await expect.poll(() => desk.title(), { timeout: 10_000 }).toBe('(1) kefu 客服工作台');
        const a = await alertsOf(desk);
        expect(a.beeps).toBe(1);
        expect(a.notes).toHaveLength(1);
        expect(a.notes[0]!.title).toBe('新的排队对话');
        expect(a.notes[0]!.body).toContain('开不了机');
      }

      await wang.locator('.queue .item button.claim').click();
      await wang.locator('.conversation .close-resolved').waitFor();
      await li.locator('.queue', { hasText: '暂无排队的对话' }).waitFor();
      await expect.poll(() => li.title(), { timeout: 10_000 }).toBe('kefu 客服工作台');

      // A canned reply: its placeholders already filled from the conversation, editable before it goes.
      const ticketId = (await wang.locator('.conversation .card').textContent())!.match(/T\d{8}-\d{4}/)![0];
      await wang.locator('.canned-item', { hasText: '建议送修' }).click();
      const reply = wang.locator('.conversation textarea.reply');
      const text = await reply.inputValue();
      expect(text).toContain('华为');
      expect(text).toContain(ticketId);
      expect(text).not.toMatch(/[{}]/);
      await reply.press('Enter');
      await w.host.locator('.kefu-row--agent', { hasText: ticketId }).waitFor();

      // Transfer to 小李: it leaves 小王's desk and arrives on 小李's, who sees what was said.
      const option = wang.locator('.conversation select.transfer option', { hasText: '小李' });
      await option.waitFor({ state: 'attached' });
      await wang.locator('.conversation select.transfer').selectOption({ value: 'li' });
      await wang.locator('.conversation .notice', { hasText: '已转接给其他客服。' }).waitFor();
      await wang.locator('.mine', { hasText: '暂无接待中的对话' }).waitFor();
      await li.locator('.flash', { hasText: '小王 把一个对话转给了您。' }).waitFor();
      await li.locator('.mine .item').waitFor();
      await li.locator('.conversation .line--agent', { hasText: ticketId }).waitFor();
      await w.host.locator('.kefu-row--system', { hasText: '小李' }).waitFor();
      // 小王 may still note, no longer reply or close.
      expect(await wang.locator('.conversation button.mode--reply').isDisabled()).toBe(true);
      expect(await wang.locator('.conversation .close-resolved').count()).toBe(0);

      // 小李 hands it back to the bot: the next message is the bot's again.
      await li.locator('.conversation button.hand-back').click();
      await li.locator('.conversation .notice', { hasText: '已交回智能助手。' }).waitFor();
      await li.locator('.mine', { hasText: '暂无接待中的对话' }).waitFor();
      const bots = await w.bots.count();
      await say(phone, '手机没信号');
      await expect.poll(() => w.bots.count(), { timeout: 10_000 }).toBeGreaterThan(bots);
      expect(await li.locator('.conversation .line--user', { hasText: '手机没信号' }).count()).toBe(0);
      expect([wangP.errors, liP.errors, user.errors]).toEqual([[], [], []]);
    } finally {
      await Promise.all([wang.context().close(), li.context().close(), phone.context().close()]);
    }
  });

  it('gives the conversation of a desk closed mid-conversation back to the queue, where the colleague claims it', async () => {
    const wangP = await openPage(env.browser, LAPTOP);
    const liP = await openPage(env.browser, LAPTOP);
    const user = await openPage(env.browser, PHONE);
    const [wang, li, phone] = [wangP.page, liP.page, user.page];
    try {
      await signIn(wang, env.server.url, 'wang');
      await signIn(li, env.server.url, 'li');
      await phone.goto(env.server.url + '/');
      const w = await openWidget(phone);
      await say(phone, '手机开不了机');
      await w.bots.nth(1).waitFor();
      await say(phone, '转人工');
      const item = wang.locator('.queue .item', { hasText: '手机开不了机' }).last();
      const sessionId = (await item.getAttribute('data-session'))!;
      await item.locator('button.claim').click();
      await wang.locator('.conversation .close-resolved').waitFor();
      await w.host.locator('.kefu-row--system', { hasText: '客服小王已为您服务。' }).waitFor();

      await wang.context().close(); // the laptop's lid, a crash: no sign-out
      await expect.poll(async () => (await env.server.desk.desk.agentStatuses()).find((a) => a.login === 'wang')?.presence, { timeout: 10_000 }).toBe('offline');
      await env.server.sweep(new Date(Date.now() + 120_000)); // gone past AGENT_AWAY_REQUEUE
      const back = li.locator(`.queue .item[data-session="${sessionId}"]`);
      await back.waitFor();
      await w.host.locator('.kefu-row--system', { hasText: '暂时离开' }).waitFor();

      await back.locator('button.claim').click();
      await li.locator('.conversation .close-unresolved').waitFor();
      await w.host.locator('.kefu-row--system', { hasText: '客服小李已为您服务。' }).waitFor();
      await say(phone, '我还在');
      await li.locator('.conversation .line--user', { hasText: '我还在' }).waitFor();
      await li.locator('.conversation .close-unresolved').click();
      await li.locator('.mine', { hasText: '暂无接待中的对话' }).waitFor();
      expect([wangP.errors, liP.errors, user.errors]).toEqual([[], [], []]);
    } finally {
      await Promise.all([li.context().close(), phone.context().close()]);
    }
  });

  it('after hours, the call-back the user books is on the desk: masked for everyone, in full for the agent who calls', async () => {
    // A window that is certainly closed now: one minute, twelve hours away (China time).
    const china = new Date(Date.now() + 8 * 3_600_000);
    const hh = String((china.getUTCHours() + 12) % 24).padStart(2, '0');
    const srv = await startTestServer({ BUSINESS_HOURS: `${hh}:00-${hh}:01` });
    const wangP = await openPage(env.browser, LAPTOP);
    const liP = await openPage(env.browser, LAPTOP);
    const user = await openPage(env.browser, PHONE);
    const [wang, li, phone] = [wangP.page, liP.page, user.page];
    try {
      await srv.desk.agents.add('wang', '小王', 'agent', PASSWORD);
      await srv.desk.agents.add('li', '小李', 'agent', PASSWORD);
      await signIn(wang, srv.url, 'wang');
      await signIn(li, srv.url, 'li');

      await phone.goto(srv.url + '/');
      const w = await openWidget(phone);
      await say(phone, '我是联通的，手机没信号');
      await w.bots.nth(1).waitFor();
      await say(phone, '能不能找个人工帮我看看');
      await w.host.locator('.kefu-row--bot', { hasText: '10010' }).last().waitFor();
      await say(phone, '好的，麻烦回个电话');
      await w.host.locator('.kefu-row--bot', { hasText: '11 位' }).waitFor();
      await say(phone, '我的号码是 139 1234 5678');
      await w.host.locator('.kefu-quick-reply:not([disabled])', { hasText: '明天上午' }).click();
      const booked = w.host.locator('.kefu-row--bot', { hasText: '已为您登记回电' });
      await booked.waitFor();
      const ticketId = (await booked.textContent())!.match(/T\d{8}-\d{4}/)![0];

      // On the desk: counted under the queue, listed with the number masked.
      await wang.locator('.callbacks-due', { hasText: '1 个回电待处理' }).click();
      await li.locator('.top .tab', { hasText: '回电' }).click();
      for (const desk of [wang, li]) {
        const row = desk.locator('.callback-row', { hasText: ticketId });
        await row.waitFor();
        expect(await row.locator('.phone').textContent()).toBe('139****5678');
        expect(await row.textContent()).toContain('明天上午');
      }
      // 小王 calls: the number in full, for him only.
      await wang.locator('.callback-row button.call-now').click();
      await wang.locator('.callback-row .phone a[href="tel:13912345678"]', { hasText: '13912345678' }).waitFor();
      await li.locator('.top .tab', { hasText: '工单' }).click();
      await li.locator('.top .tab', { hasText: '回电' }).click();
      await li.locator('.callback-row').waitFor();
      expect(await li.locator('.callback-row .phone').textContent()).toBe('139****5678');
      expect(await li.content()).not.toContain('13912345678');
      await wang.locator('.callback-row button', { hasText: '标记已回电' }).click();
      await wang.locator('.callback-row', { hasText: '已回电 · wang' }).waitFor();
      expect(await wang.locator('.callback-row button').count()).toBe(0);
      const audit = await srv.store.auditLog({ agent: 'wang' });
      expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['call-back number shown', 'call-back done']));

      // Tickets: the call-back found by kind and by its id, its detail with every status change.
      await wang.locator('.top .tab', { hasText: '工单' }).click();
      await wang.locator('.filters select[name="kind"]').selectOption('callback');
      await wang.locator('.filters button[type="submit"]').click();
      await wang.locator('.ticket-row', { hasText: ticketId }).waitFor();
      await wang.locator('.filters select[name="kind"]').selectOption('complaint');
      await wang.locator('.filters button[type="submit"]').click();
      await wang.locator('.ticket-list', { hasText: '没有' }).waitFor();
      await wang.locator('.filters select[name="kind"]').selectOption('');
      await wang.locator('.filters input[name="id"]').fill(ticketId);
      await wang.locator('.filters button[type="submit"]').click();
      await expect.poll(() => wang.locator('.ticket-row').count(), { timeout: 10_000 }).toBe(1);
      // The problem by its title in the desk's language, not an intent id.
      expect(await wang.locator('.ticket-row td').nth(3).textContent()).toMatch(/^[^a-z_]+$/);
      await wang.locator('.ticket-row').click();
      const detail = wang.locator('.ticket-detail');
      await detail.locator('h2', { hasText: ticketId }).waitFor();
      expect(await detail.locator('.ticket-history li').first().textContent()).toContain('工单创建');
      expect(await detail.locator('.ticket-history li').count()).toBeGreaterThan(1);
      expect(await detail.locator('.log .line--user', { hasText: '手机没信号' }).count()).toBe(1);
      expect(await detail.textContent()).not.toContain('13912345678');
      expect([wangP.errors, liP.errors, user.errors]).toEqual([[], [], []]);
    } finally {
      await Promise.all([wang.context().close(), li.context().close(), phone.context().close()]);
      await srv.close();
    }
  });
  it('with auto-assignment on, each waiting conversation opens by itself on the least busy desk, which is told so', async () => {
    const srv = await startTestServer({ AUTO_ASSIGN: 'on' });
    const wangP = await openPage(env.browser, LAPTOP);
    const liP = await openPage(env.browser, LAPTOP);
    const [wang, li] = [wangP.page, liP.page];
    const users: Awaited<ReturnType<typeof connect>>[] = [];
    try {
      await srv.desk.agents.add('wang', '小王', 'agent', PASSWORD);
      await srv.desk.agents.add('li', '小李', 'agent', PASSWORD);
      await signIn(wang, srv.url, 'wang');
      await signIn(li, srv.url, 'li');
      for (const first of ['我是移动的，手机开不了机', '手机没信号']) {
        const u = await connect(srv.url);
        users.push(u);
        await u.send(first);
        await u.send('转人工');
      }
      // One each: the second goes to the desk still free, nobody claims anything.
      const mine = (desk: Page) => desk.locator('.mine .item').getAttribute('data-session');
      for (const desk of [wang, li]) {
        await desk.locator('.flash', { hasText: '系统为您分配了一个新对话。' }).waitFor();
        await desk.locator('.mine .item').waitFor();
        await desk.locator('.conversation .close-resolved').waitFor();
        expect(await desk.locator('.conversation .conv-meta').textContent()).toContain(desk === wang ? '小王' : '小李');
        await desk.locator('.queue', { hasText: '暂无排队的对话' }).waitFor();
      }
      expect(new Set([await mine(wang), await mine(li)])).toEqual(new Set(users.map((u) => u.sessionId)));
      const wangId = await mine(wang);
      const wangs = users.find((u) => u.sessionId === wangId)!;
      expect(await wangs.send('你好')).toMatchObject({ ok: true, replies: [], routedTo: 'agent' });
      await wang.locator('.conversation .line--user', { hasText: '你好' }).waitFor();
      expect([wangP.errors, liP.errors]).toEqual([[], []]);
    } finally {
      for (const u of users) u.close();
      await Promise.all([wang.context().close(), li.context().close()]);
      await srv.close();
    }
  });

  it('comes back as it was after a server restart: the waiting conversation queued, the served one still the agent\'s', async () => {
    let srv = await startTestServer();
    const { page: desk, errors } = await openPage(env.browser, LAPTOP);
    try {
      await srv.desk.agents.add('wang', '小王', 'agent', PASSWORD);
      await signIn(desk, srv.url, 'wang');
      const served = await connect(srv.url);
      await served.send('我是移动的，手机开不了机');
      expect(await served.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
      const waiting = await connect(srv.url);
      await waiting.send('手机没信号');
      expect(await waiting.send('转人工')).toMatchObject({ ok: true, routedTo: 'queue' });
      await desk.locator(`.queue .item[data-session="${served.sessionId}"] button.claim`).click();
      const reply = desk.locator('.conversation textarea.reply');
      await reply.fill('重启前的一句');
      await reply.press('Enter');
      await desk.locator('.conversation .line--agent', { hasText: '重启前的一句' }).waitFor();
      served.close();
      waiting.close();

      await srv.close();
      await desk.locator('.top .conn--offline').waitFor();
      srv = await startTestServer({ DB_PATH: srv.dbPath, PORT: String(srv.port) });

      // The same desk, still signed in: the queue, its conversation and the open transcript read again.
      await desk.locator('.top .conn--online').waitFor({ state: 'attached', timeout: 20_000 });
      await desk.locator(`.queue .item[data-session="${waiting.sessionId}"]`).waitFor();
      await desk.locator(`.mine .item[data-session="${served.sessionId}"]`).waitFor();
      expect(await desk.locator('.queue .item').count()).toBe(1);
      await desk.locator('.conversation .line--agent', { hasText: '重启前的一句' }).waitFor();
      await reply.fill('重启后的一句');
      await reply.press('Enter');
      await desk.locator('.conversation .line--agent', { hasText: '重启后的一句' }).waitFor();
      const back = await connect(srv.url, { auth: { sessionId: served.sessionId } });
      const h = await back.history();
      expect(h.ok && h.entries.filter((e) => e.role === 'agent').map((e) => e.text)).toEqual(['重启前的一句', '重启后的一句']);
      expect(await back.send('收到')).toMatchObject({ ok: true, replies: [], routedTo: 'agent' });
      await desk.locator('.conversation .line--user', { hasText: '收到' }).waitFor();
      back.close();
      expect(errors).toEqual([]);
    } finally {
      await desk.context().close();
      await srv.close();
    }
  });
});
