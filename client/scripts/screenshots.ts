/**
 * Saves docs/screenshots/desktop.png and docs/screenshots/mobile.png: the demo
 * page with the widget open mid-conversation (ticket id visible).
 *
 *   npx tsx client/scripts/screenshots.ts              # starts a kefu test server itself
 *   npx tsx client/scripts/screenshots.ts http://127.0.0.1:3000/   # or uses a running one
 *
 * Needs the widget built (npm run build:widget) and Chromium at /usr/bin/chromium
 * (or CHROMIUM_PATH). Chinese text needs a CJK font (Debian: fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

async function serverUrl(): Promise<{ url: string; close(): Promise<void> }> {
  const given = process.argv[2];
  if (given) return { url: given.replace(/\/$/, ''), close: async () => {} };
  const { startTestServer } = await import('../../test/helpers/startServer.js');
  return startTestServer();
}

/** `pickReply`: also answer the first quick reply (shows numbered steps); else stop at the ticket. */
async function shoot(browser: Browser, url: string, file: string, options: BrowserContextOptions, pickReply: boolean): Promise<void> {
  // Reduced motion: no hover or scroll animation caught half-way in the picture.
  const context = await browser.newContext({ locale: 'zh-CN', reducedMotion: 'reduce', ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(url + '/');
  const host = page.locator('#kefu-widget-host');
  await host.locator('.kefu-launcher').click();
  await host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
  await host.locator('.kefu-row--bot').first().waitFor();
  await host.locator('textarea').fill('手机开不了机');
  await host.locator('textarea').press('Enter');
  await host.locator('.kefu-ticket').first().waitFor();
  const replies = host.locator('.kefu-quick-reply:not([disabled])');
  if (pickReply && (await replies.count()) > 0) {
    const users = await host.locator('.kefu-row--user').count();
    await replies.first().click();
    await host.locator('.kefu-row--user[data-status="sent"]').nth(users).waitFor();
  }
  // No hover effect in the picture; let fonts and the log's smooth scroll settle.
  await page.mouse.move(1, 1);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // (A long reply is shown from its question, so the log need not end at the bottom: wait until it stops moving.)
  await page.evaluate(async () => {
    const log = document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelector('.kefu-log')!;
    for (let last = -1; last !== log.scrollTop; ) {
      last = log.scrollTop;
      for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
  await page.screenshot({ path: outDir + file });
  await context.close();
  console.log('wrote', outDir + file);
}

const server = await serverUrl();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  mkdirSync(outDir, { recursive: true });
  await shoot(browser, server.url, 'desktop.png', { viewport: { width: 1280, height: 800 } }, false);
  await shoot(browser, server.url, 'mobile.png', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, true);
} finally {
  await browser.close();
  await server.close();
}
