/**
 * Saves docs/screenshots/desk-queue.png (three users waiting, one opened with
 * its hand-over card) and docs/screenshots/desk-conversation.png (agent 小王
 * serving a chat: the transcript with the bot's turns, a reply, the user's
 * answer, an internal note, the card and the canned replies), from a kefu
 * test server of its own and real users on the widget's socket.
 *
 *   npx tsx client/scripts/deskScreenshots.ts
 *
 * Needs the desk built (npm run build:desk), Chromium at /usr/bin/chromium
 * (or CHROMIUM_PATH) and a CJK font (Debian: fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { connect } from '../../test/helpers/socketClient.js';
import { startTestServer } from '../../test/helpers/startServer.js';

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PASSWORD = 'screenshot-pass-1';

const server = await startTestServer();
await server.desk.agents.add('wang', '小王', 'agent', PASSWORD);
await server.desk.agents.add('li', '小李', 'agent', PASSWORD);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const users = await Promise.all([connect(server.url), connect(server.url), connect(server.url, { auth: { locale: 'en' } })]);
try {
  mkdirSync(outDir, { recursive: true });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(server.url + '/desk');
  await page.locator('form.login input[name="login"]').fill('wang');
  await page.locator('form.login input[name="password"]').fill(PASSWORD);
  await page.locator('form.login button[type="submit"]').click();
  // Signed in first: with no agent online the bot offers a call-back instead of the queue.
  await page.locator('.queue', { hasText: '暂无排队的对话' }).waitFor();
  const [a, b, c] = users as [(typeof users)[number], (typeof users)[number], (typeof users)[number]];
  await a.send('我的华为 Mate 60 开不了机了，充电也没反应');
  await a.send('还是不行');
  await a.send('转人工');
  await b.send('这个月话费怎么多扣了30块');
  await b.send('我要投诉');
  await b.send('转人工');
  await c.send('My phone keeps dropping calls');
  await c.send('talk to a human');

  await page.locator('.queue .item').nth(2).waitFor();
  await page.locator('.queue .item .item-open').first().click();
  await page.locator('.conversation .card').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.mouse.move(1, 1);
  await page.screenshot({ path: outDir + 'desk-queue.png' });
  console.log('wrote', outDir + 'desk-queue.png');

  await page.locator('.conversation .conv-head button.claim').click();
  await page.locator('.conversation .canned-item').first().waitFor();
  const box = page.locator('.conversation textarea.reply');
  await page.locator('.conversation .canned-item').first().click();
  await box.press('Enter');
  await page.locator('.conversation .line--agent').waitFor();
  await box.fill('请问手机最近摔过或者进过水吗？');
  await box.press('Enter');
  await page.locator('.conversation .line--agent').nth(1).waitFor();
  await a.send('没有摔过，也没进水，昨天晚上还好好的');
  await page.locator('.conversation .line--user', { hasText: '昨天晚上' }).waitFor();
  await page.locator('.conversation button.mode--note').click();
  await box.fill('强制重启和充电都试过，疑似主板故障，准备建议送修');
  await box.press('Enter');
  await page.locator('.conversation .line--note').waitFor();
  await page.locator('.conversation button.mode--reply').click();
  await box.fill('明白了，');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.mouse.move(1, 1);
  await page.screenshot({ path: outDir + 'desk-conversation.png' });
  console.log('wrote', outDir + 'desk-conversation.png');
  await context.close();
} finally {
  for (const u of users) u.close();
  await browser.close();
  await server.close();
}
