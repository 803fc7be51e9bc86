/**
 * The widget's chrome as a new user meets it, on a desktop and on a phone:
 * labels in the conversation's language (an English chat on a Chinese page),
 * who said what (the assistant, an agent by name, a notice) with one avatar
 * and one time stamp per group, the welcome's chips and its 转人工, touch
 * targets, hotlines as tel: links, ids and dates kept whole, long replies read
 * from the first, the open panel kept across a reload, no badge for the welcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addWidget, demoWithoutWidget, launchBrowser, openPage, openWidget, say, widget } from './browser.js';
import { NUMBERS_NOT_TEL, NUMBERS_TEL, SCRIPTED, startScriptedKefu } from './scriptedBot.js';
import { groups, readTranscript, waitDelivered } from './transcript.js';

const env = {} as { server: Awaited<ReturnType<typeof startScriptedKefu>>; browser: Browser };
beforeAll(async () => {
  [env.server, env.browser] = await Promise.all([startScriptedKefu(), launchBrowser()]);
});
afterAll(async () => {
  await env.browser?.close();
  await env.server?.close();
});

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, reducedMotion: 'reduce' } as const;

/** What the chrome says, read out of the shadow root. */
function chrome(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('#kefu-widget-host')!.shadowRoot!;
    const q = (s: string) => root.querySelector<HTMLElement>(s)!;
    return {
      lang: q('.kefu').lang,
      title: q('.kefu-title').textContent,
      subtitle: q('.kefu-subtitle').textContent,
      placeholder: root.querySelector('textarea')!.placeholder,
      send: q('.kefu-send').getAttribute('aria-label'),
      newChat: q('.kefu-new').getAttribute('aria-label'),
      close: q('.kefu-close').getAttribute('aria-label'),
      launcher: q('.kefu-launcher').getAttribute('aria-label'),
      log: q('.kefu-log').getAttribute('aria-label'),
      /** Each row's screen-reader label, in order. */
      said: [...root.querySelectorAll('.kefu-row')].map((r) => r.querySelector('.kefu-sr-only')?.textContent),
    };
  });
}

describe('the chrome follows the conversation', () => {
  it('speaks English in an English chat on a Chinese page, after a reload too, and Chinese again when the user does', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    expect(await chrome(page)).toMatchObject({ lang: 'zh-CN', title: '在线客服', subtitle: '智能助手', placeholder: '请输入您的问题', said: ['智能助手说：'] });

    await say(page, "my phone won't turn on");
    await waitDelivered(page, 0);
    await w.tickets.first().waitFor();
    const ticket = await w.tickets.first().getAttribute('data-ticket-id');
    const english = {
      lang: 'en',
      title: 'Customer service',
      // The word "Ticket" gives way when the header is too narrow for it; the id is whole.
      subtitle: expect.stringMatching(new RegExp(`^Virtual assistant · (Ticket )?${ticket}$`)),
      placeholder: 'Type your question',
      send: 'Send',
      newChat: 'New chat',
      close: 'Close chat',
      launcher: 'Close chat',
      log: 'Customer service chat',
    };
    const rows = (await readTranscript(page)).map((r) => (r.role === 'user' ? 'You said: ' : 'The assistant said: '));
    expect(await chrome(page)).toEqual({ ...english, said: rows });
    // Each message keeps its own language for screen readers: the Chinese welcome, the English turn.
    expect(await w.host.locator('.kefu-row').evaluateAll((els) => els.map((e) => e.getAttribute('lang')))).toEqual(['zh-CN', 'en', ...rows.slice(2).map(() => 'en')]);

    // The star answer is said in the conversation's language.
    await say(page, SCRIPTED.englishRating);
    await w.activeStars.first().waitFor();
    await w.host.locator('.kefu-star:not([disabled])[data-score="4"]').click();
    await waitDelivered(page, 2);
    expect(await w.users.nth(2).locator('.kefu-text').textContent()).toBe('4 stars');
    expect(await w.host.locator('.kefu-stars').last().getAttribute('aria-label')).toBe('Satisfaction rating');

    // A reload: the panel is still open, in English from the first frame.
    await page.reload();
    await w.panel.waitFor();
    expect(await w.input.getAttribute('placeholder')).toBe('Type your question');
    await w.host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
    await expect.poll(() => w.users.count()).toBe(3);
    expect(await chrome(page)).toMatchObject({ ...english, launcher: 'Close chat' });

    // 「新对话」 asks in English.
    await w.newConversation.click();
    const confirm = w.host.locator('.kefu-confirm');
    expect(await confirm.locator('.kefu-confirm-text').textContent()).toBe('Start a new chat? This conversation will no longer be shown.');
    expect(await confirm.locator('button').allTextContents()).toEqual(['Cancel', 'New chat']);
    await confirm.locator('.kefu-confirm-cancel').click();

    await say(page, '手机开不了机');
    await waitDelivered(page, 3);
    await expect.poll(async () => (await chrome(page)).placeholder).toBe('请输入您的问题');
    expect(await chrome(page)).toMatchObject({ lang: 'zh-CN', title: '在线客服', newChat: '新对话', log: '在线客服对话' });
    expect((await chrome(page)).said.slice(0, 2)).toEqual(['智能助手说：', '我说：']);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('who said what', () => {
  it('draws the welcome with its chips and a working 转人工, then an agent by name and a notice, one avatar and one time per group, also after a reload', async () => {
    const { page, errors } = await openPage(env.browser, { reducedMotion: 'reduce' });
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    // The assistant's face is a headset, not the title's first character.
    for (const avatar of [w.host.locator('.kefu-header .kefu-avatar'), w.bots.first().locator('.kefu-avatar')]) {
      expect(await avatar.locator('svg').count()).toBe(1);
      expect(await avatar.textContent()).toBe('');
    }
    // The welcome's chips sit under its bubble, and 转人工 is one of them.
    const welcome = w.bots.first();
    expect(await welcome.locator('.kefu-bubble .kefu-quick-reply').count()).toBe(0);
    const chips = await welcome.locator('.kefu-quick > .kefu-quick-reply').allTextContents();
    expect(chips).toContain('转人工');
    expect(await welcome.locator('.kefu-quick').getAttribute('aria-label')).toBe('快捷回复');

    await welcome.locator('.kefu-quick-reply', { hasText: '转人工' }).click();
    await waitDelivered(page, 0);
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe('转人工');
    await w.host.locator('.kefu-row--bot[data-intent="human_agent"]').first().waitFor();

    await say(page, SCRIPTED.agentJoins);
    await waitDelivered(page, 1);
    const notice = w.host.locator('.kefu-row--system');
    await notice.waitFor();
    expect(await notice.getAttribute('role')).toBe('note');
    expect(await notice.locator('.kefu-avatar').count()).toBe(0);
    expect(await notice.evaluate((el) => getComputedStyle(el).justifyContent)).toBe('center');
    const agent = w.host.locator('.kefu-row--agent');
    expect(await agent.count()).toBe(2);
    expect(await agent.locator('.kefu-sr-only').allTextContents()).toEqual(['客服小王说：', '客服小王说：']);
    expect(await agent.first().locator('.kefu-avatar').textContent()).toBe('王');
    expect(await agent.locator('.kefu-name:visible').allTextContents()).toEqual(['小王']);
    expect(await agent.last().locator('.kefu-quick-reply:not([disabled])').allTextContents()).toEqual(['能充电', '充不进']);
    expect(await w.live.textContent()).toContain('客服小王说：请问手机现在能充上电吗？');

    // Then the assistant again, with several messages at once: each author's run is one group.
    await say(page, '手机开不了机');
    await waitDelivered(page, 2);
    await w.tickets.first().waitFor();
    const drawn = await groups(page);
    expect(drawn.map((g) => g.author)).toEqual(['bot', 'user', 'bot', 'user', 'system', 'agent:小王', 'user', 'bot']);
    for (const g of drawn) {
      expect(g, g.author).toMatchObject({ avatars: g.author === 'bot' || g.author.startsWith('agent:') ? 1 : 0, times: g.author === 'system' ? 0 : 1 });
    }
    expect(drawn.find((g) => g.author.startsWith('agent:'))?.rows).toBe(2);
    expect(drawn[drawn.length - 1]!.rows).toBeGreaterThan(1);

    // Redrawn from the transcript: the same authors, the same groups.
    const before = await readTranscript(page);
    await page.reload();
    await w.panel.waitFor();
    await w.tickets.first().waitFor();
    expect(await readTranscript(page)).toEqual(before);
    expect(await groups(page)).toEqual(drawn);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('on a phone', () => {
  it('has 44 px touch targets, tappable hotlines, whole ids and dates, long replies read from the first, the open panel kept across a reload, no badge for the welcome', async () => {
    const page = await demoWithoutWidget(env.browser, env.server.url, PHONE);
    await addWidget(page, { server: '', brand: '星联通信' });
    const w = widget(page);
    // The welcome arrives while closed: it is no reason for a badge.
    await w.bots.first().waitFor({ state: 'attached' });
    await w.host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
    expect(await w.host.locator('.kefu-badge').isHidden()).toBe(true);
    expect(await w.launcher.getAttribute('aria-label')).toBe('打开在线客服');

    await w.launcher.tap();
    await w.panel.waitFor();
    // With data-brand, the brand's first character is the assistant's face.
    expect(await w.host.locator('.kefu-header .kefu-avatar').textContent()).toBe('星');

    const small = () =>
      w.panel.evaluate((panel) =>
        [...panel.querySelectorAll<HTMLElement>('button')]
          .filter((b) => b.getClientRects().length > 0)
          .map((b) => ({ label: b.getAttribute('aria-label') ?? b.textContent, ...b.getBoundingClientRect().toJSON() }))
          .filter((b) => b.height < 44 || b.width < 44)
          .map((b) => `${b.label} ${Math.round(b.width)}×${Math.round(b.height)}`),
      );
    expect(await w.activeReplies.count()).toBeGreaterThanOrEqual(3);
    expect(await small()).toEqual([]);

    await say(page, SCRIPTED.numbers);
    await waitDelivered(page, 0);
    const message = w.bots.last().locator('.kefu-text');
    await message.waitFor();
    expect(await message.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(NUMBERS_TEL);
    expect(await message.locator('a').allTextContents()).not.toContain('1099');
    // Exactly those links: the ids, IMEI, dates, prices, amounts and models in the same message are plain text.
    const shown = await message.textContent();
    for (const text of NUMBERS_NOT_TEL) expect(shown).toContain(text);
    // Every ticket id, date and hotline is on one line: all its characters share one line box.
    const broken = await message.evaluate((el) => {
      const text = el.textContent ?? '';
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const nodes: { node: Text; start: number }[] = [];
      let offset = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n as Text, start: offset });
        offset += n.textContent!.length;
      }
      const at = (i: number) => {
        const hit = nodes.findLast((n) => n.start <= i)!;
        return [hit.node, i - hit.start] as const;
      };
      const tokens = [...text.matchAll(/T\d{8}-\d{4}|\d{4}-\d{2}-\d{2}|\d{3}-\d{3}-\d{4}|\+86[- ]\d+/g)];
      const out: string[] = [];
      for (const m of tokens) {
        const range = document.createRange();
        range.setStart(...at(m.index!));
        range.setEnd(...at(m.index! + m[0].length - 1));
        range.setEnd(range.endContainer, range.endOffset + 1);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size !== 1) out.push(m[0]);
      }
      return { tokens: tokens.length, broken: out };
    });
    expect(broken.tokens).toBeGreaterThan(20);
    expect(broken.broken).toEqual([]);

    // Replies taller than the screen are read from the top: the question stays in view, not scrolled past.
    const sent = await w.users.count();
    await say(page, SCRIPTED.longReplies);
    await waitDelivered(page, sent);
    const view = await w.host.locator('.kefu-log').evaluate((log) => {
      const users = log.querySelectorAll('.kefu-row--user');
      const question = users[users.length - 1]!.getBoundingClientRect();
      const box = log.getBoundingClientRect();
      return { questionInView: question.top >= box.top && question.bottom <= box.bottom, atEnd: log.scrollHeight - log.clientHeight - log.scrollTop < 2 };
    });
    expect(view).toEqual({ questionInView: true, atEnd: false });

    // Reload in this tab: still open (without taking focus); a new tab starts closed.
    await page.reload();
    await w.panel.waitFor();
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    const other = await page.context().newPage();
    await other.goto(env.server.url + '/');
    await widget(other).bots.first().waitFor({ state: 'attached' });
    expect(await widget(other).launcher.getAttribute('aria-expanded')).toBe('false');
  }, 60_000);
});
