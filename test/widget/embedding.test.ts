/**
 * The widget as a guest on someone else's page: one global, data- attributes,
 * isolation from the host's CSS, the public API and its events, and the
 * phone and desktop layouts.
 */
import { describe, expect, it } from 'vitest';
import { addWidget, demoWithoutWidget, openPage, openWidget, widget } from './browser.js';
import { waitDelivered } from './transcript.js';
import { useKefuAndBrowser } from './setup.js';

const env = useKefuAndBrowser();

const pageWithoutWidget = () => demoWithoutWidget(env.browser, env.server.url);

describe('embedding', () => {
  it('adds exactly one global, window.kefu, with open/close/send/on, and no styles to the host document', async () => {
    const page = await pageWithoutWidget();
    const before = await page.evaluate(() => Object.keys(window));
    await addWidget(page, { server: '' });
    const after = await page.evaluate(() => Object.keys(window));
    expect(after.filter((k) => !before.includes(k))).toEqual(['kefu']);
    expect(await page.evaluate(() => Object.keys(window.kefu!).sort())).toEqual(['close', 'on', 'open', 'send']);
    // And no stylesheet of its own in the host document.
    expect(await page.evaluate(() => document.querySelectorAll('style').length + document.adoptedStyleSheets.length)).toBe(0);
  });

  it('reads data-title/-color/-position/-locale/-avatar/-open, and keeps contrast on a light accent', async () => {
    const page = await pageWithoutWidget();
    await addWidget(page, { server: env.server.url, title: 'Help desk', color: '#ffd000', position: 'left', locale: 'en', avatar: '/demo/logo.svg', open: '' });
    const w = widget(page);
    // data-open: open from the start, without stealing the page's focus.
    await w.panel.waitFor();
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(await w.launcher.getAttribute('aria-label')).toBe('Close chat');
    const box = await w.launcher.boundingBox();
    expect(box!.x).toBeLessThan(100);
    expect(await w.host.locator('.kefu-header img.kefu-avatar').getAttribute('src')).toBe(env.server.url + '/demo/logo.svg');
    expect(await w.host.locator('.kefu-title').textContent()).toBe('Help desk');
    const header = await w.host.locator('.kefu-header').evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color };
    });
    expect(header.bg).toBe('rgb(255, 208, 0)');
    expect(header.fg).toBe('rgb(17, 17, 17)'); // dark text on yellow, not white
    expect(await w.input.getAttribute('placeholder')).toBe('Type your question');
  });

  it('is not changed by hostile host CSS (all !important, html font-size, right-to-left, a transformed and zoomed body)', async () => {
    // Reduced motion and the pointer out of the way: nothing is mid-transition between the two measurements.
    const { page } = await openPage(env.browser, { reducedMotion: 'reduce' });
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    await page.mouse.move(1, 1);
    const measure = () =>
      page.evaluate(() => {
        const root = document.querySelector('#kefu-widget-host')!.shadowRoot!;
        const pick = (sel: string) => {
          const el = root.querySelector(sel)!;
          const s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return { color: s.color, font: s.fontSize, family: s.fontFamily, bg: s.backgroundColor, w: r.width, h: r.height, x: r.left, y: r.top };
        };
        return {
          panel: pick('.kefu-panel'),
          text: pick('.kefu-row--bot .kefu-text'),
          input: pick('textarea'),
          launcher: pick('.kefu-launcher'),
          close: pick('.kefu-close'),
          reply: pick('.kefu-quick-reply'),
        };
      });
    // Measure once fonts are in and the log's smooth scroll has come to rest.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    let before = await measure();
    await expect
      .poll(async () => {
        const now = await measure();
        const same = JSON.stringify(now) === JSON.stringify(before);
        before = now;
        return same;
      })
      .toBe(true);
    const pageH1 = () => page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontSize);
    const h1Before = await pageH1();
    await page.addStyleTag({
      content: `* { color: red !important; font-size: 40px !important; font-family: serif !important; line-height: 3 !important; }
        div, section, button, textarea { display: none !important; background: lime !important; padding: 50px !important; }
        html { font-size: 64px !important; direction: rtl !important; }
        body { transform: translateX(0) !important; zoom: 1.5 !important; min-height: 3000px !important; }`,
    });
    expect(await pageH1()).not.toBe(h1Before); // the hostile CSS does apply to the page
    expect(await measure()).toEqual(before);
    expect(await w.panel.isVisible()).toBe(true);
  });

  it('exposes open/close/send and emits open, close, message and ready events; on() unsubscribes', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    await page.waitForFunction(() => 'kefu' in window);
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { kefuLog: string[] }).kefuLog = log;
      const kefu = window.kefu!;
      kefu.on('ready', (e) => log.push(`ready:${typeof e.sessionId}`));
      kefu.on('open', () => log.push('open'));
      const off = kefu.on('close', () => log.push('close'));
      kefu.on('message', (m) => log.push(`message:${m.role}`));
      kefu.open();
      kefu.close();
      off();
      kefu.open();
      kefu.close();
      kefu.send('手机开不了机');
    });
    const w = widget(page);
    await waitDelivered(page, 0);
    await w.tickets.first().waitFor({ state: 'attached' });
    const log = await page.evaluate(() => (window as unknown as { kefuLog: string[] }).kefuLog);
    expect(log).toContain('ready:string');
    expect(log.filter((e) => e === 'open')).toHaveLength(2);
    expect(log.filter((e) => e === 'close')).toHaveLength(1);
    expect(log.filter((e) => e === 'message:user')).toHaveLength(1);
    expect(log.indexOf('message:bot')).toBeGreaterThan(log.indexOf('message:user'));
    expect(await page.evaluate(() => window.kefu!.send('   '))).toBe(false);
    expect(errors).toEqual([]);
  });
});

describe('the demo page', () => {
  it('has FAQ buttons that open the chat and ask through window.kefu', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    await page.waitForFunction(() => 'kefu' in window);
    await page.locator('.card [data-kefu-ask="手机开不了机"]').click();
    const w = widget(page);
    await w.panel.waitFor();
    await waitDelivered(page, 0);
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe('手机开不了机');
    await w.tickets.first().waitFor();
    expect(errors).toEqual([]);
  });
});

describe('layout and theme', () => {
  it('goes full screen on a 390×844 phone and hides the launcher while open', async () => {
    const { page } = await openPage(env.browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto(env.server.url + '/');
    const w = widget(page);
    const launcher = await w.launcher.boundingBox();
    expect(launcher!.x + launcher!.width).toBeLessThanOrEqual(390);
    await openWidget(page);
    await expect.poll(async () => w.panel.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await w.launcher.isVisible()).toBe(false);
    // No horizontal scrolling of the host page either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await w.host.locator('.kefu-close').click();
    await w.panel.waitFor({ state: 'hidden' });
    expect(await w.launcher.isVisible()).toBe(true);
  });

  it('drops its open/close animation when the user prefers reduced motion', async () => {
    const duration = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { page } = await openPage(env.browser, { reducedMotion });
      await page.goto(env.server.url + '/');
      const w = await openWidget(page);
      return w.panel.evaluate((el) => getComputedStyle(el).transitionDuration);
    };
    expect(await duration('no-preference')).not.toMatch(/^0s(, 0s)*$/);
    expect(await duration('reduce')).toMatch(/^0s(, 0s)*$/);
  });

  it('is a ~380×600 panel on a desktop', async () => {
    const { page } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    const w = await openWidget(page);
    await expect.poll(async () => (await w.panel.boundingBox())?.width).toBe(380);
    expect((await w.panel.boundingBox())!.height).toBe(600);
  });
});
