/**
 * Flaky networks against a real server that is stopped and restarted on the
 * same port and database: the banner shows offline then online, a message
 * typed while offline is delivered exactly once, and a refused message can be
 * retried; several messages typed offline get their replies in order; a
 * session closed for inactivity is replaced; a reconnect the server refuses
 * (rate limit) is tried until it is let in (the back-off itself is tested
 * without a browser, in connection.test.ts). Also: "new conversation" asks,
 * then forgets the session.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers/socketClient.js';
import { openPage, openWidget, say, widget } from './browser.js';
import { startKefu } from './server.js';
import { readTranscript, waitDelivered } from './transcript.js';
import { useKefuAndBrowser } from './setup.js';

const env = useKefuAndBrowser();

const sessionIdIn = (page: import('playwright-core').Page) =>
  page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('kefu:session:'))?.[1]);

describe('connection trouble', () => {
  it('shows offline then online across a server restart and delivers a message typed offline exactly once', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    await say(page, '你好');
    await waitDelivered(page, 0);
    const session = await sessionIdIn(page);
    expect(session).toMatch(/^[0-9a-f-]{36}$/);

    const { port, dbPath } = env.server;
    await env.server.close();
    await w.banner.and(page.locator('[data-state="offline"]')).waitFor();
    expect(await w.banner.textContent()).toBe('网络已断开，正在重新连接…');

    await say(page, '手机开不了机');
    const queued = w.users.nth(1);
    await queued.and(page.locator('[data-status="queued"]')).waitFor();

    env.server = await startKefu({ PORT: String(port), DB_PATH: dbPath });
    await w.host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
    await waitDelivered(page, 1);
    await w.tickets.first().waitFor();
    expect(await w.banner.isVisible()).toBe(false);
    expect(await sessionIdIn(page)).toBe(session); // the same conversation continued

    // Exactly once, as the server recorded it: the redrawn transcript has the message once, one ticket.
    const live = await readTranscript(page);
    await page.reload();
    await openWidget(page);
    await w.tickets.first().waitFor();
    const redrawn = await readTranscript(page);
    expect(redrawn.filter((r) => r.role === 'user' && r.text === '手机开不了机')).toHaveLength(1);
    expect(new Set(redrawn.map((r) => r.ticket).filter(Boolean)).size).toBe(1);
    expect(redrawn).toEqual(live);
    expect(errors).toEqual([]);
  }, 60_000);

  it('puts the replies to several messages typed offline under each message, as the server records them, with only the newest buttons live', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    await page.context().setOffline(true);
    await w.banner.and(page.locator('[data-state="offline"]')).waitFor();
    await say(page, '手机开不了机');
    await say(page, '中国移动的客服电话是多少');
    await w.users.nth(1).and(page.locator('[data-status="queued"]')).waitFor();

    await page.context().setOffline(false);
    await waitDelivered(page, 0);
    await waitDelivered(page, 1);
    await w.tickets.first().waitFor();
    const live = await readTranscript(page);
    // Each message is followed by its own replies: the ticket comes before the second message.
    const roles = live.map((r) => r.role);
    const second = live.findIndex((r) => r.role === 'user' && r.text === '中国移动的客服电话是多少');
    expect(roles.slice(roles.indexOf('user') + 1, second)).toContain('bot');
    expect(live.slice(0, second).some((r) => r.ticket)).toBe(true);
    expect(roles[roles.length - 1]).toBe('bot');
    // The first message's question was passed by the second message: its buttons are inert.
    const firstTurnButtons = await page.evaluate(() => {
      const rows = [...document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelectorAll('.kefu-row')];
      const second = rows.filter((r) => r.classList.contains('kefu-row--user'))[1]!;
      const before = rows.slice(0, rows.indexOf(second)).flatMap((r) => [...r.querySelectorAll<HTMLButtonElement>('.kefu-quick-reply')]);
      return { all: before.length, live: before.filter((b) => !b.disabled).length };
    });
    expect(firstTurnButtons.all).toBeGreaterThanOrEqual(3); // the welcome's menu and the first question's
    expect(firstTurnButtons.live).toBe(0);
    const activeLive = await w.activeReplies.allTextContents();

    await page.reload();
    await openWidget(page);
    await w.tickets.first().waitFor();
    expect(await readTranscript(page)).toEqual(live);
    expect(await w.activeReplies.allTextContents()).toEqual(activeLive);
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a message the server refuses (rate limit) as failed, and its retry delivers it once', async () => {
    const strict = await startKefu({ RATE_LIMIT_SESSION: '2' });
    try {
      const { page, errors } = await openPage(env.browser);
      await page.goto(strict.url + '/');
      const w = await openWidget(page);
      await page.evaluate(() => ['一', '二', '三'].forEach((t) => window.kefu!.send(t)));
      const third = w.users.nth(2);
      await third.and(page.locator('[data-status="failed"]')).waitFor();
      // Said to screen readers too, not only shown under the bubble.
      expect(await w.live.textContent()).toContain('发送太频繁，请稍后重试');
      const retry = third.locator('.kefu-retry');
      // The bucket refills one message per 5 s: retry about once a second until the server takes it.
      await expect
        .poll(
          async () => {
            if (await retry.isVisible()) await retry.click();
            return third.getAttribute('data-status');
          },
          { timeout: 20_000, interval: 1000 },
        )
        .toBe('sent');
      expect(await third.getAttribute('data-status')).toBe('sent');
      await page.reload();
      await openWidget(page);
      await expect.poll(async () => (await readTranscript(page)).filter((r) => r.role === 'user').map((r) => r.text)).toEqual(['一', '二', '三']);
      expect(errors).toEqual([]);
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('keeps trying a reconnect the server refuses (rate limit) until it is let in, and carries on the same conversation', async () => {
    // As when a server restarts and everyone behind one carrier NAT reconnects at once: the address's tokens are gone.
    const crowded = await startKefu({ RATE_LIMIT_IP: '2' });
    const others: { close(): void }[] = [];
    const { page, errors } = await openPage(env.browser);
    try {
      await page.goto(crowded.url + '/');
      const w = await openWidget(page);
      const session = await sessionIdIn(page);
      await page.context().setOffline(true);
      await w.banner.and(page.locator('[data-state="offline"]')).waitFor();
      for (;;) {
        const other = await connect(crowded.url).catch((e: Error) => e);
        if (other instanceof Error) {
          expect(other.message).toBe('RATE_LIMITED');
          break;
        }
        others.push(other);
      }
      await page.context().setOffline(false);
      await w.banner.and(page.locator('[data-state="offline"]')).filter({ hasText: '当前咨询人数较多' }).waitFor();
      expect(await w.banner.textContent()).toBe('当前咨询人数较多，稍后将自动重新连接…');
      expect(await w.host.locator('.kefu-subtitle').textContent()).toBe('智能助手 · 离线');
      await w.host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached', timeout: 30_000 });
      expect(await sessionIdIn(page)).toBe(session);
      expect(await w.banner.isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      for (const c of others) c.close();
      await page.context().close();
      await crowded.close();
    }
  }, 60_000);

  it('when the session was closed for inactivity, answers the next message in a new session, says so once and carries on', async () => {
    // Only the explicit sweep below closes sessions (the timer's is an hour away).
    const idle = await startKefu({ SESSION_TTL: '1s', SWEEP_INTERVAL: '1h' });
    try {
      const { page, errors } = await openPage(env.browser);
      await page.goto(idle.url + '/');
      const w = await openWidget(page);
      await say(page, '手机开不了机');
      await waitDelivered(page, 0);
      await w.tickets.first().waitFor();
      const oldTicket = await w.tickets.first().getAttribute('data-ticket-id');
      const oldSession = await sessionIdIn(page);
      await idle.sweep(new Date(Date.now() + 2_000)); // as if two seconds later: closes the idle session

      // The message is not lost: a new session answers it.
      await say(page, '我的手机还是开不了机');
      await waitDelivered(page, 1);
      expect(await sessionIdIn(page)).not.toBe(oldSession);
      const notices = w.host.locator('.kefu-notice');
      await notices.first().waitFor();
      expect(await notices.count()).toBe(1);
      // The old session's questions can no longer be answered.
      expect(await w.host.locator(`.kefu-row--bot[data-ticket-id="${oldTicket}"] .kefu-quick-reply:not([disabled])`).count()).toBe(0);
      await expect.poll(() => w.tickets.count()).toBe(2);
      expect(await w.tickets.last().getAttribute('data-ticket-id')).not.toBe(oldTicket);
      expect(await w.host.locator('.kefu-header-ticket').textContent()).toContain(await w.tickets.last().getAttribute('data-ticket-id'));
      expect(errors).toEqual([]);
    } finally {
      await idle.close();
    }
  }, 60_000);

  it('"new conversation" asks first, then forgets the session and starts over with a fresh welcome', async () => {
    const { page } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    await say(page, '手机开不了机');
    await waitDelivered(page, 0);
    const first = await sessionIdIn(page);

    // It asks first (the conversation could not be brought back); Escape or 取消 keeps everything.
    const confirm = w.host.locator('.kefu-confirm');
    await w.newConversation.click();
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toBe('kefu-confirm-ok');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect(await w.panel.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toContain('kefu-new');
    await w.newConversation.click();
    await confirm.locator('.kefu-confirm-cancel').click();
    expect(await sessionIdIn(page)).toBe(first);
    expect(await w.users.count()).toBe(1);

    await w.newConversation.click();
    await confirm.locator('.kefu-confirm-ok').click();
    await expect.poll(() => sessionIdIn(page)).not.toBe(first);
    await w.bots.first().waitFor();
    expect(await w.users.count()).toBe(0);
    expect(await w.tickets.count()).toBe(0);

    await page.reload();
    await openWidget(page);
    expect(await w.users.count()).toBe(0);
  });
});
