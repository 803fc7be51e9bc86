/**
 * After 转人工, on a phone, against a real server with the real bot and a
 * real agent on the `/desk` namespace: the queue line and its place as the
 * queue moves, said once to screen readers; leaving the queue and coming
 * back; the agent joining (notice, name in the line and the header), their
 * typing and their reply drawn as a person's; the user's typing reaching the
 * agent without the text; no bot answer and no assistant dots while a person
 * owns the chat; an agent's message sent during a network blip drawn on
 * reconnect; a reload redrawing the agent's and the service's messages and
 * the line; the agent closing, and the assistant answering again. Then the
 * same in English, with the agent closing while the user is offline, and
 * 「新对话」 while waiting, which leaves the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { connect } from '../helpers/socketClient.js';
import { launchBrowser, openPage, openWidget, say, widget } from './browser.js';
import { measureContrast } from './contrast.js';
import { deskAgent } from './deskAgent.js';
import { startKefu } from './server.js';
import { groups, readTranscript, waitDelivered } from './transcript.js';

// One browser; a server per test, so that each starts with an empty queue.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, reducedMotion: 'reduce' } as const;

const sessionIdIn = (page: Page) =>
  page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('kefu:session:'))?.[1] ?? '');

/** The parts of the widget this file looks at, besides those of `widget()`. */
function parts(page: Page) {
  const w = widget(page);
  return {
    ...w,
    line: w.host.locator('.kefu-handover'),
    lineText: w.host.locator('.kefu-handover-text'),
    leave: w.host.locator('.kefu-leave'),
    /** Who answers, under the title (and the connection state when not online). */
    subtitle: w.host.locator('.kefu-status-text'),
    headerAvatar: w.host.locator('.kefu-header .kefu-avatar'),
    notices: w.host.locator('.kefu-row--system'),
    agents: w.host.locator('.kefu-row--agent'),
    typingText: w.host.locator('.kefu-typing .kefu-typing-text'),
  };
}

/**
 * Records, in the page, everything said to screen readers, how often the
 * typing indicator showed the assistant's dots, and the `status` events of
 * `window.kefu`; installed again after a reload.
 */
async function watch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('#kefu-widget-host')!.shadowRoot!;
    const live = root.querySelector('[aria-live="polite"]')!;
    const typing = root.querySelector<HTMLElement>('.kefu-typing')!;
    const w = window as unknown as { said: string[]; botDots: number; statuses: string[] };
    w.said = [];
    w.botDots = 0;
    w.statuses = [];
    window.kefu!.on('status', (s) => w.statuses.push(s.mode === 'queued' ? `queued ${s.position}` : s.mode === 'agent' ? `agent ${s.agentName}` : s.mode));
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) w.said.push(n.textContent ?? '');
    }).observe(live, { childList: true });
    new MutationObserver(() => {
      if (!typing.hidden && typing.dataset.who === 'bot') w.botDots++;
    }).observe(typing, { attributes: true, attributeFilter: ['hidden', 'data-who'] });
  });
}
const said = (page: Page) => page.evaluate(() => (window as unknown as { said: string[] }).said);
const botDots = (page: Page) => page.evaluate(() => (window as unknown as { botDots: number }).botDots);
const statuses = (page: Page) => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);

describe('after 转人工, with a person at the desk', () => {
  it('shows the queue and its moves, leaves and comes back, then the agent: joined, typing, replies, reads the user typing; survives a blip and a reload; closes', async () => {
    const server = await startKefu();
    const wang = await deskAgent(server, 'wang', '小王');
    const ahead = await connect(server.url);
    const { page, errors } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/');
      const w = parts(page);
      await openWidget(page);
      await watch(page);
      expect(await w.line.isHidden()).toBe(true);

      // Someone else asked first: this user is second.
      const first = await ahead.send('转人工');
      expect(first).toMatchObject({ ok: true, routedTo: 'queue' });
      await say(page, '转人工');
      await waitDelivered(page, 0);
      const dotsAsked = await botDots(page); // the assistant answered 转人工 itself
      await w.line.waitFor();
      await expect.poll(() => w.lineText.textContent()).toBe('正在为您转接人工客服，您前面还有 1 位，预计等待约 2 分钟');
      expect(await w.line.getAttribute('data-mode')).toBe('queued');
      expect(await w.subtitle.textContent()).toBe('等待人工客服');
      expect(await w.leave.textContent()).toBe('返回智能助手');
      const leaveBox = (await w.leave.boundingBox())!;
      expect(Math.min(leaveBox.width, leaveBox.height)).toBeGreaterThanOrEqual(44);
      expect(await w.input.getAttribute('placeholder')).toBe('先说说您的问题，客服接入后会看到');
      // The line is on screen, not under the header or the keyboard's way: it is the first thing above the transcript.
      const lineBox = (await w.line.boundingBox())!;
      expect(lineBox.y + lineBox.height).toBeLessThanOrEqual((await w.host.locator('.kefu-log').boundingBox())!.y + 1);
      const contrast = await measureContrast(page, { line: { selector: '.kefu-handover-text' }, leave: { selector: '.kefu-leave' } });
      for (const [name, ratio] of Object.entries(contrast)) expect(ratio, name).toBeGreaterThanOrEqual(4.5);

      // While waiting, what the user writes goes to the desk: no bot answer, no assistant dots.
      const botRows = await w.bots.count();
      await say(page, '我的手机开不了机，充电也没反应');
      await waitDelivered(page, 1);
      expect(await w.bots.count()).toBe(botRows);
      expect(await botDots(page)).toBe(dotsAsked);

      // The one ahead gives up: this user is next, and that is said (once, like the start of the wait).
      await ahead.socket.timeout(5000).emitWithAck('leave_queue');
      await expect.poll(() => w.lineText.textContent()).toBe('正在为您转接人工客服，您是下一位，预计等待约 1 分钟');
      const queueSaid = (await said(page)).filter((s) => s.startsWith('正在为您转接人工客服'));
      // The assistant's own answer to 转人工, then the line's start and its one move.
      expect(queueSaid).toEqual([
        '正在为您转接人工客服，请稍候。等待期间有什么想补充的，可以直接发在这里，客服接入后都能看到。',
        '正在为您转接人工客服，您前面还有 1 位，预计等待约 2 分钟',
        '正在为您转接人工客服，您是下一位，预计等待约 1 分钟',
      ]);

      // Back to the assistant, by the button (as a screen reader or a keyboard presses it, with focus on it):
      // the service says so, the line goes, the header is the assistant's.
      await w.leave.focus();
      await page.keyboard.press('Enter');
      await w.notices.filter({ hasText: '已为您取消排队' }).waitFor();
      await w.line.waitFor({ state: 'hidden' });
      expect(await w.subtitle.textContent()).toBe('智能助手');
      expect(await w.input.getAttribute('placeholder')).toBe('请输入您的问题');
      // Focus was on the button that went away: it is kept in the panel (on a touch screen, the transcript).
      expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toContain('kefu-log');
      expect(wang.of('queue').at(-1)!.waiting).toEqual([]);

      // And back into the queue: now first.
      await say(page, '还是转人工吧');
      await waitDelivered(page, 2);
      await expect.poll(() => w.lineText.textContent()).toBe('正在为您转接人工客服，您是下一位，预计等待约 1 分钟');
      const sessionId = await sessionIdIn(page);
      await expect.poll(() => wang.of('queue').at(-1)!.waiting.map((q) => q.sessionId)).toEqual([sessionId]);

      // The agent takes the chat.
      expect(await wang.claim(sessionId)).toMatchObject({ ok: true });
      await w.notices.filter({ hasText: '客服小王已为您服务。' }).waitFor();
      await expect.poll(() => w.lineText.textContent()).toBe('客服小王正在为您服务');
      expect(await w.line.getAttribute('data-mode')).toBe('agent');
      expect(await w.leave.isHidden()).toBe(true);
      expect(await w.subtitle.textContent()).toBe('客服小王');
      expect(await w.headerAvatar.textContent()).toBe('王');
      expect(await w.input.getAttribute('placeholder')).toBe('请输入您的问题');
      // The joining is said by the service's notice, not a second time by the line.
      expect((await said(page)).filter((s) => s.includes('小王')).map((s) => s.replace(/^通知：/, ''))).toEqual(['客服小王已为您服务。']);

      // The agent types, then replies: their name while typing; the reply as a person's, announced.
      wang.typing(sessionId, true);
      await w.typingText.filter({ hasText: '小王正在输入…' }).waitFor();
      expect(await w.typing.getAttribute('data-who')).toBe('agent');
      const question = '您好，我是客服小王。请问手机现在插上充电器，屏幕有反应吗？';
      expect(await wang.send(sessionId, question)).toMatchObject({ ok: true });
      const reply = w.agents.filter({ hasText: question });
      await reply.waitFor();
      await w.typing.waitFor({ state: 'hidden' });
      expect(await reply.locator('.kefu-name').textContent()).toBe('小王');
      expect(await reply.locator('.kefu-avatar').textContent()).toBe('王');
      expect(await reply.locator('.kefu-sr-only').first().textContent()).toBe('客服小王说：');
      expect(await said(page)).toContain(`客服小王说：${question}`);

      // The user types: the agent hears that, never what; the message reaches the agent, the bot stays silent.
      const answer = '没有反应，屏幕一直是黑的';
      const typingBefore = wang.of('typing').length;
      await w.input.pressSequentially(answer.slice(0, 4), { delay: 30 });
      await expect.poll(() => wang.of('typing').slice(typingBefore)).toContainEqual({ sessionId, typing: true });
      await w.input.pressSequentially(answer.slice(4), { delay: 30 });
      await w.input.press('Enter');
      await waitDelivered(page, 3);
      await expect.poll(() => wang.of('user_message').map((m) => m.text)).toContain(answer);
      await expect.poll(() => wang.of('typing').at(-1)).toEqual({ sessionId, typing: false });
      for (const t of wang.of('typing').slice(typingBefore)) expect(Object.keys(t).sort()).toEqual(['sessionId', 'typing']);
      expect(await w.bots.count()).toBe(botRows + 2); // only 「好的，我们继续」 on leaving the queue and the answer to 「还是转人工吧」 since
      expect(await botDots(page)).toBe(dotsAsked + 1);

      // A network blip: what the agent said meanwhile is drawn once the widget is back.
      await page.context().setOffline(true);
      await w.banner.and(page.locator('[data-state="offline"]')).waitFor();
      expect(await w.subtitle.textContent()).toBe('客服小王 · 离线');
      const duringBlip = '好的，那我们先试试强制重启：同时长按电源键和音量下键 15 秒。';
      expect(await wang.send(sessionId, duringBlip)).toMatchObject({ ok: true });
      await page.context().setOffline(false);
      await w.agents.filter({ hasText: duringBlip }).waitFor();
      expect(await w.agents.filter({ hasText: duringBlip }).count()).toBe(1);
      // Two messages of the agent in a row are one group: one avatar, one name, one time.
      const followUp = '如果还是没有反应，可以带上购机凭证到售后网点检测。';
      await wang.send(sessionId, followUp);
      await w.agents.filter({ hasText: followUp }).waitFor();
      const drawn = await groups(page);
      expect(drawn.at(-1)).toEqual({ author: 'agent:小王', rows: 2, avatars: 1, times: 1 });
      expect(await w.agents.locator('.kefu-name:visible').allTextContents()).toEqual(['小王', '小王']); // the first reply's group, and this one

      // The host page heard each change once (the server repeats a place when others move).
      expect(await statuses(page)).toEqual(['bot', 'queued 2', 'queued 1', 'bot', 'queued 1', 'agent 小王']);

      // A reload redraws the person's and the service's messages, and the line.
      const before = await readTranscript(page);
      expect(before.map((r) => r.role)).toEqual(expect.arrayContaining(['system', 'agent']));
      await page.reload();
      await openWidget(page);
      await expect.poll(() => w.lineText.textContent()).toBe('客服小王正在为您服务');
      await watch(page);
      expect(await statuses(page)).toEqual(['agent 小王']); // a late listener hears the current status
      expect(await readTranscript(page)).toEqual(before);
      expect(await groups(page)).toEqual(drawn);
      expect(await w.subtitle.textContent()).toBe('客服小王');
      expect(await w.agents.first().locator('.kefu-name').textContent()).toBe('小王');
      // The assistant's old buttons (and stars) do not answer while a person does.
      expect(await w.host.locator('.kefu-choices button:not([disabled])').count()).toBe(0);

      // The agent closes: the service says so, the line goes, and the assistant answers again.
      expect(await wang.close(sessionId, 'resolved')).toMatchObject({ ok: true });
      await w.notices.filter({ hasText: '客服小王已结束本次人工服务' }).waitFor();
      await w.line.waitFor({ state: 'hidden' });
      expect(await w.subtitle.textContent()).toBe('智能助手');
      expect(await w.headerAvatar.locator('svg').count()).toBe(1);
      const rowsBefore = await w.bots.count();
      await say(page, '中国移动的客服电话是多少');
      await waitDelivered(page, 4);
      await expect.poll(() => w.bots.count()).toBeGreaterThan(rowsBefore);
      expect(await w.bots.last().locator('a[href="tel:10086"]').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      ahead.close();
      wang.disconnect();
      await page.context().close();
      await server.close();
    }
  }, 90_000);

  it('speaks English in an English chat, catches up on a close missed offline, and 「新对话」 while waiting leaves the queue', async () => {
    const server = await startKefu();
    const lily = await deskAgent(server, 'lily', 'Lily');
    const { page, errors } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/');
      const w = parts(page);
      await openWidget(page);
      await watch(page);
      await say(page, "my phone won't turn on");
      await waitDelivered(page, 0);
      await say(page, 'I want to talk to a human');
      await waitDelivered(page, 1);
      await expect.poll(() => w.lineText.textContent()).toBe("Connecting you to an agent — you're next, estimated wait about 1 minute");
      expect(await w.leave.textContent()).toBe('Back to the assistant');
      expect(await w.subtitle.textContent()).toMatch(/^Waiting for an agent/);
      expect(await w.input.getAttribute('placeholder')).toBe('Describe the problem while you wait');

      const sessionId = await sessionIdIn(page);
      expect(await lily.claim(sessionId)).toMatchObject({ ok: true });
      await expect.poll(() => w.lineText.textContent()).toBe('Lily from customer service is helping you');
      await w.notices.filter({ hasText: 'Lily from customer service has joined the chat.' }).waitFor();
      lily.typing(sessionId, true);
      await w.typingText.filter({ hasText: 'Lily is typing…' }).waitFor();
      await lily.send(sessionId, 'Hi, I am Lily. Does the screen show anything when you plug in the charger?');
      const reply = w.agents.last();
      await reply.waitFor();
      expect(await reply.locator('.kefu-avatar').textContent()).toBe('L');
      expect(await reply.locator('.kefu-sr-only').first().textContent()).toBe('Agent Lily said: ');
      expect(await w.subtitle.textContent()).toBe('Agent Lily');
      // Whatever the assistant offered before the hand-over (buttons, stars) does not answer while Lily does, after a reload too.
      const live = w.host.locator('.kefu-choices button:not([disabled])');
      expect(await live.count()).toBe(0);
      await page.reload();
      await openWidget(page);
      await expect.poll(() => w.lineText.textContent()).toBe('Lily from customer service is helping you');
      expect(await live.count()).toBe(0);

      // Lily closes while the user's network is gone: back online, the notice is drawn and the line is gone.
      await page.context().setOffline(true);
      await w.banner.and(page.locator('[data-state="offline"]')).waitFor();
      expect(await lily.close(sessionId, 'unresolved')).toMatchObject({ ok: true });
      await page.context().setOffline(false);
      await w.notices.filter({ hasText: 'Lily has ended this chat.' }).waitFor();
      await w.line.waitFor({ state: 'hidden' });
      expect(await w.subtitle.textContent()).toBe('Virtual assistant');
      expect(await w.notices.filter({ hasText: 'Lily has ended this chat.' }).count()).toBe(1);
      await say(page, 'I still need a person');
      await waitDelivered(page, 2);
      await w.line.and(page.locator('[data-mode="queued"]')).waitFor();

      // 「新对话」 while waiting: the queue is left first, so no agent takes a chat nobody is in.
      await w.newConversation.tap();
      await w.host.locator('.kefu-confirm-ok').tap();
      await expect.poll(() => sessionIdIn(page)).not.toBe(sessionId);
      await expect.poll(() => lily.of('queue').at(-1)!.waiting.map((q) => q.sessionId)).toEqual([]);
      await w.bots.first().waitFor();
      expect(await w.line.isHidden()).toBe(true);
      expect(await w.notices.count()).toBe(0); // the old chat's notices went with it
      expect(errors).toEqual([]);
    } finally {
      lily.disconnect();
      await page.context().close();
      await server.close();
    }
  }, 60_000);
});
