/**
 * The composer and the widget's safety in a real browser: Chinese IME
 * composition, Shift+Enter, the length counter, text never parsed as HTML,
 * links made safely, and keyboard operation with managed focus.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MAX_TEXT_UNITS } from '../../server/core/textLength.js';
import { openPage, openWidget, say, widget } from './browser.js';
import { waitDelivered } from './transcript.js';
import { useKefuAndBrowser } from './setup.js';

const env = useKefuAndBrowser();

async function demo(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(env.browser);
  await opened.page.goto(env.server.url + '/');
  await openWidget(opened.page);
  return opened;
}

/** Dispatch a keydown on the widget's textarea; returns whether the widget cancelled it. */
interface KeyInit {
  key: string;
  code?: string;
  isComposing?: boolean;
  keyCode?: number;
}

function keydown(page: Page, init: KeyInit): Promise<boolean> {
  return page.evaluate((init) => {
    const input = document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelector('textarea')!;
    const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, composed: true, ...init });
    input.dispatchEvent(event);
    return event.defaultPrevented;
  }, init);
}

function composition(page: Page, type: 'compositionstart' | 'compositionend', data = ''): Promise<void> {
  return page.evaluate(
    ([type, data]) => {
      const input = document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelector('textarea')!;
      input.dispatchEvent(new CompositionEvent(type!, { bubbles: true, data }));
    },
    [type, data],
  );
}

describe('the composer', () => {
  it('does not send on Enter while a pinyin IME is composing, and sends after compositionend', async () => {
    const { page, errors } = await demo();
    const w = widget(page);
    await w.input.fill('shouji');
    await composition(page, 'compositionstart');
    expect(await keydown(page, { key: 'Enter', code: 'Enter', isComposing: true, keyCode: 229 })).toBe(false);
    // Safari reports the confirming Enter after compositionend with keyCode 229 only.
    await composition(page, 'compositionend', '手机');
    expect(await keydown(page, { key: 'Enter', code: 'Enter', isComposing: false, keyCode: 229 })).toBe(false);
    expect(await w.users.count()).toBe(0);
    expect(await w.input.inputValue()).toBe('shouji');

    await w.input.fill('手机');
    expect(await keydown(page, { key: 'Enter', code: 'Enter', keyCode: 13 })).toBe(true);
    await waitDelivered(page, 0);
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe('手机');
    expect(await w.input.inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it('makes Shift+Enter a new line and shows a counter near the 500-character limit', async () => {
    const { page } = await demo();
    const w = widget(page);
    await w.input.fill('第一行');
    await w.input.press('Shift+Enter');
    await w.input.pressSequentially('第二行');
    expect(await w.input.inputValue()).toBe('第一行\n第二行');
    expect(await w.users.count()).toBe(0);

    const counter = w.host.locator('.kefu-counter');
    expect(await counter.isVisible()).toBe(false);
    await w.input.fill('好'.repeat(450));
    expect(await counter.textContent()).toBe('450/500');
    expect(await counter.isVisible()).toBe(true);
    // The textarea's own limit counts UTF-16 units: only the server's hard cap, not the 500 characters.
    expect(await w.input.getAttribute('maxlength')).toBe(String(MAX_TEXT_UNITS));
    // A screen reader hears the limit when the counter appears and when it is reached, not on every key.
    expect(await counter.getAttribute('aria-live')).toBeNull();
    const said = () => w.live.locator('p').allTextContents();
    expect(await said()).toContain('还可以输入 50 字');
    const before = (await said()).length;
    for (const n of [460, 470, 480]) await w.input.fill('好'.repeat(n));
    expect((await said()).length).toBe(before);
    await w.input.fill('好'.repeat(500));
    expect(await said()).toContain('已达到 500 字上限');
    await w.input.fill('');
    expect(await w.sendButton.isDisabled()).toBe(true);
  });

  it('counts characters as the server does: 500 flags, skin-toned emoji or families fit and are sent; one more cannot be sent and says so', async () => {
    const { page, errors } = await demo();
    const w = widget(page);
    const counter = w.host.locator('.kefu-counter');
    const said = () => w.live.locator('p').allTextContents();
    // 500 characters as the user sees them, 2,400 UTF-16 units (a flag and a toned thumb are 4 each, a family 8).
    const full = '🇨🇳'.repeat(200) + '👍🏽'.repeat(200) + '👨‍👩‍👧'.repeat(100);
    expect(full.length).toBe(2400);

    await w.input.fill(full);
    expect(await w.input.inputValue()).toBe(full); // not cut off by the textarea
    expect(await counter.textContent()).toBe('500/500');
    expect(await said()).toContain('已达到 500 字上限');
    expect(await w.sendButton.isEnabled()).toBe(true);

    // One more: the counter says by how much, sending is impossible by button or Enter, and a screen reader hears why.
    await w.input.fill(full + '好');
    expect(await counter.textContent()).toBe('超出 1 字');
    expect(await counter.isVisible()).toBe(true);
    expect(await w.sendButton.isDisabled()).toBe(true);
    const tooLong = '已超过 500 字上限，请删减 1 字后再发送';
    expect((await said()).filter((p) => p === tooLong)).toHaveLength(1);
    await w.input.press('Enter');
    expect((await said()).filter((p) => p === tooLong)).toHaveLength(2);
    expect(await w.input.inputValue()).toBe(full + '好');
    expect(await w.users.count()).toBe(0);

    // Back to 500: sent, and the server takes it.
    await w.input.press('Backspace');
    expect(await counter.textContent()).toBe('500/500');
    await w.input.press('Enter');
    await waitDelivered(page, 0);
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe(full);
    expect(await w.input.inputValue()).toBe('');

    // window.kefu.send applies the same rule.
    const results = await page.evaluate(
      ([flags, families]) => [window.kefu!.send(flags!), window.kefu!.send(flags + '🇨🇳'), window.kefu!.send(families!)],
      ['🇨🇳'.repeat(500), '👨‍👩‍👧'.repeat(501)],
    );
    expect(results).toEqual([true, false, false]);
    await waitDelivered(page, 1);
    expect(await w.users.count()).toBe(2);
    expect(await w.users.nth(1).locator('.kefu-text').textContent()).toBe('🇨🇳'.repeat(500));
    expect(errors).toEqual([]);
  });
});

describe('safety', () => {
  it('shows <img src=x onerror=alert(1)> as text: no element, no script, no dialog', async () => {
    const { page, errors } = await demo();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const w = widget(page);
    const payload = '<img src=x onerror=alert(1)>';
    await say(page, payload);
    await waitDelivered(page, 0);
    await w.bots.nth(1).waitFor();
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe(payload);
    const imgs = await page.evaluate(() => document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelectorAll('.kefu-log img').length);
    expect(imgs).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('turns hotlines into tel: links and URLs into safe new-tab links, never javascript:', async () => {
    const { page } = await demo();
    // User text stays plain; the bot's answer about hotlines is where links appear.
    const w = widget(page);
    await say(page, '中国移动的客服电话是多少');
    await waitDelivered(page, 0);
    await expect.poll(() => w.bots.count()).toBeGreaterThan(1);
    const links = await page.evaluate(() =>
      [...document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelectorAll<HTMLAnchorElement>('.kefu-log a')].map((a) => ({
        href: a.href,
        text: a.textContent,
        rel: a.rel,
        target: a.target,
      })),
    );
    for (const link of links) {
      expect(link.href).toMatch(/^(tel:\d+|https?:\/\/)/);
      if (!link.href.startsWith('tel:')) {
        expect(link.rel).toBe('noopener noreferrer');
        expect(link.target).toBe('_blank');
      }
    }
    expect(links.some((l) => l.href.startsWith('tel:'))).toBe(true);
  });
});

describe('keyboard and focus', () => {
  it('opens with the keyboard, focuses the input, closes on Escape and returns focus to the launcher', async () => {
    const { page } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = widget(page);
    // The welcome arriving while closed is no reason for a badge; replies to a message sent meanwhile are.
    await w.bots.first().waitFor({ state: 'attached' });
    expect(await w.host.locator('.kefu-badge').isHidden()).toBe(true);
    await page.evaluate(() => window.kefu!.send('中国移动的客服电话是多少'));
    await waitDelivered(page, 0);
    const replies = (await w.bots.count()) - 1;
    expect(replies).toBeGreaterThanOrEqual(1);
    expect(await w.host.locator('.kefu-badge').textContent()).toBe(String(replies));
    expect(await w.launcher.getAttribute('aria-label')).toBe(`打开在线客服 · ${replies} 条未读消息`);

    await w.launcher.focus();
    await page.keyboard.press('Enter');
    await w.panel.waitFor();
    const active = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className ?? '');
    await expect.poll(active).toContain('kefu-input');
    expect(await w.host.locator('.kefu-badge').isHidden()).toBe(true);

    await page.keyboard.press('Escape');
    await w.panel.waitFor({ state: 'hidden' });
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await active()).toContain('kefu-launcher');
  });

  it('keeps focus in the widget after a quick reply is picked with the keyboard, so Escape still closes it', async () => {
    const { page } = await demo();
    const w = widget(page);
    const active = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className ?? '');
    await w.activeReplies.first().focus();
    await page.keyboard.press('Space');
    await waitDelivered(page, 0);
    // The picked button is disabled now; focus went to the input, not to the page's <body>.
    expect(await active()).toContain('kefu-input');
    await page.keyboard.press('Shift+Tab');
    expect(await active()).toContain('kefu-quick-reply'); // the new turn's buttons, one Shift+Tab away
    await page.keyboard.press('Escape');
    await w.panel.waitFor({ state: 'hidden' });
    expect(await active()).toContain('kefu-launcher');
  });

  it('on a phone: opens without the on-screen keyboard, keeps Tab inside the full-screen panel, Escape returns to the launcher', async () => {
    const { page } = await openPage(env.browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(env.server.url + '/');
    const w = widget(page);
    await w.launcher.focus();
    await page.keyboard.press('Enter');
    await w.bots.first().waitFor();
    const active = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className ?? 'outside the widget');
    // Focus on the transcript, not the input: focusing the input would pull up the keyboard over the welcome's buttons.
    await expect.poll(active).toContain('kefu-log');
    expect(await w.panel.getAttribute('aria-modal')).toBe('true');
    const seen = new Set<string>();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      seen.add(await active());
    }
    expect([...seen].filter((c) => !c.startsWith('kefu-'))).toEqual([]);
    expect([...seen].some((c) => c.includes('kefu-close'))).toBe(true); // it wraps round to the header
    await page.keyboard.press('Shift+Tab');
    expect(await active()).toMatch(/^kefu-/);
    await page.keyboard.press('Escape');
    await w.panel.waitFor({ state: 'hidden' });
    expect(await active()).toContain('kefu-launcher');
  });

  it('tells a screen reader who said each message', async () => {
    const { page } = await demo();
    const w = widget(page);
    await say(page, '你好');
    await waitDelivered(page, 0);
    await w.bots.nth(1).waitFor();
    const spoken = await page.evaluate(() =>
      [...document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelectorAll<HTMLElement>('.kefu-row')].map((row) => ({
        role: row.dataset.role,
        // What is read first, and that it is there for screen readers only.
        first: row.querySelector('.kefu-stack')!.firstElementChild!.textContent,
        hidden: row.querySelector('.kefu-stack')!.firstElementChild!.classList.contains('kefu-sr-only'),
      })),
    );
    expect(spoken.length).toBeGreaterThanOrEqual(3);
    // The transcript itself is a named region a screen reader can jump to (a <div> with only aria-label is not).
    expect(await w.host.locator('.kefu-log').getAttribute('role')).toBe('region');
    expect(await w.host.locator('.kefu-log').getAttribute('aria-label')).toBe('在线客服对话');
    for (const row of spoken) {
      expect(row.first).toBe(row.role === 'user' ? '我说：' : '智能助手说：');
      expect(row.hidden).toBe(true);
    }
  });

  it('labels every control', async () => {
    const { page } = await demo();
    const unnamed = await page.evaluate(() => {
      const root = document.querySelector('#kefu-widget-host')!.shadowRoot!;
      return [...root.querySelectorAll<HTMLElement>('button, textarea, input')]
        .filter((el) => {
          const label = el.id ? root.querySelector(`label[for="${el.id}"]`)?.textContent : '';
          return !(el.getAttribute('aria-label') || el.textContent?.trim() || label);
        })
        .map((el) => el.outerHTML.slice(0, 80));
    });
    expect(unnamed).toEqual([]);
  });
});
