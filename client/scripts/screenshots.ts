/**
 * Saves docs/screenshots/desktop.png and docs/screenshots/mobile.png: the demo
 * page with the widget open mid-conversation (ticket id visible); and, with a
 * server of its own, mobile-queue.png and mobile-agent.png: waiting for a
 * person, then served by agent 小王 (signed in on the desk's socket).
 *
 *   npx tsx client/scripts/screenshots.ts              # starts a kefu test server itself
 *   npx tsx client/scripts/screenshots.ts http://127.0.0.1:3000/   # or uses a running one (no agent pictures)
 *
 * Needs the widget built (npm run build:widget) and Chromium at /usr/bin/chromium
 * (or CHROMIUM_PATH). Chinese text needs a CJK font (Debian: fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { TestServer } from '../../test/helpers/startServer.js';

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function serverUrl(): Promise<{ url: string; own?: TestServer; close(): Promise<void> }> {
  const given = process.argv[2];
  if (given) return { url: given.replace(/\/$/, ''), close: async () => {} };
  const { startTestServer } = await import('../../test/helpers/startServer.js');
  const own = await startTestServer();
  return { url: own.url, own, close: own.close };
}

/** No hover effect in the picture; fonts loaded; the log's scroll settled (a long reply is shown from its question). */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.evaluate(async () => {
    const log = document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelector('.kefu-log')!;
    for (let last = -1; last !== log.scrollTop; ) {
      last = log.scrollTop;
      for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
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
  await settle(page);
  await page.screenshot({ path: outDir + file });
  await context.close();
  console.log('wrote', outDir + file);
}

/** On a phone: 「手机开不了机」, then 转人工 (the queue line), then agent 小王 joins, answers and types. */
async function shootWithAgent(browser: Browser, server: TestServer): Promise<void> {
  const { deskAgent } = await import('../../test/widget/deskAgent.js');
  const wang = await deskAgent(server, 'wang', '小王');
  // Someone else is waiting already, so the line shows a place in the queue.
  const { connect } = await import('../../test/helpers/socketClient.js');
  const other = await connect(server.url);
  await other.send('转人工');
  const context = await browser.newContext({ locale: 'zh-CN', reducedMotion: 'reduce', ...PHONE });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/');
    const host = page.locator('#kefu-widget-host');
    const say = async (text: string) => {
      const sent = await host.locator('.kefu-row--user').count();
      await host.locator('textarea').fill(text);
      await host.locator('textarea').press('Enter');
      await host.locator('.kefu-row--user[data-status="sent"]').nth(sent).waitFor();
    };
    await host.locator('.kefu-launcher').tap();
    await host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
    await host.locator('.kefu-row--bot').first().waitFor();
    await say('手机开不了机，充电也没反应');
    await say('转人工');
    await host.locator('.kefu-handover[data-mode="queued"]').waitFor();
    await settle(page);
    await page.screenshot({ path: outDir + 'mobile-queue.png' });
    console.log('wrote', outDir + 'mobile-queue.png');

    const sessionId = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('kefu:session:'))?.[1] ?? '');
    await other.socket.timeout(5000).emitWithAck('leave_queue');
    await wang.claim(sessionId);
    await wang.send(sessionId, '您好，我是客服小王，前面的情况我都看到了。请问手机插上原装充电器十分钟后，屏幕有没有亮起或出现充电图标？');
    await host.locator('.kefu-row--agent').waitFor();
    await say('没有，屏幕一直是黑的');
    wang.typing(sessionId, true);
    await host.locator('.kefu-typing[data-who="agent"]').waitFor();
    await settle(page);
    await page.screenshot({ path: outDir + 'mobile-agent.png' });
    console.log('wrote', outDir + 'mobile-agent.png');
  } finally {
    other.close();
    wang.disconnect();
    await context.close();
  }
}

const server = await serverUrl();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  mkdirSync(outDir, { recursive: true });
  await shoot(browser, server.url, 'desktop.png', { viewport: { width: 1280, height: 800 } }, false);
  await shoot(browser, server.url, 'mobile.png', PHONE, true);
  if (server.own) await shootWithAgent(browser, server.own);
} finally {
  await browser.close();
  await server.close();
}
