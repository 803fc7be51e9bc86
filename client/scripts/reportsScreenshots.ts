/**
 * Saves docs/screenshots/reports.png: the reports page at laptop size (1280 ×
 * 800) over a day of real conversations with a kefu test server of its own:
 * users on the widget's socket (solved by the bot, handed over and served by
 * agent 小王, not understood, rated), seen by admin 主管, today by hour.
 *
 *   npm run build:reports && npx tsx client/scripts/reportsScreenshots.ts
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and a CJK font
 * (Debian: fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { agentAtDesk } from '../../test/helpers/deskClient.js';
import { connect } from '../../test/helpers/socketClient.js';
import { startTestServer } from '../../test/helpers/startServer.js';

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const server = await startTestServer();
const admin = await agentAtDesk(server, 'boss', '主管', { role: 'admin' });
const wang = await agentAtDesk(server, 'wang', '小王');

async function say(lines: string[], opts: Parameters<typeof connect>[1] = {}) {
  const c = await connect(server.url, opts);
  for (const line of lines) await c.send(line);
  return c;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function served(lines: string[], reply: string, rating: string) {
  const c = await say(lines);
  // A few seconds in the queue and before the first reply, as at a real desk.
  await pause(2000);
  await wang.emit('claim', { sessionId: c.sessionId });
  await pause(3000);
  await wang.emit('send', { sessionId: c.sessionId, text: reply });
  await pause(1000);
  await wang.emit('close', { sessionId: c.sessionId, resolution: 'resolved' });
  await c.send(rating);
  c.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  for (const [lines, n] of [
    [['手机开不了机', '进过水', '解决了', '5'], 3],
    [['手机开不了机', '进过水', '解决了', '4'], 2],
    [['手机卡顿怎么办', '快满了', '流畅了', '5'], 3],
    [['手机卡顿怎么办', '快满了', '流畅了', '3'], 1],
    [['手机卡顿怎么办', '快满了', '还是卡'], 2],
    [['我是联通的，手机没信号了', '只是 Wi-Fi 连不上'], 2],
    [['客服电话是多少', '运营商'], 2],
    [['帮我订一张去上海的机票'], 3],
    [['北京今天天气怎么样'], 1],
  ] as [string[], number][]) {
    for (let i = 0; i < n; i++) (await say(lines)).close();
  }
  (await say(['My phone is very slow', 'Nearly full', "Yes, it's better", '5'], { auth: { locale: 'en' } })).close();
  await served(['我是移动的，手机开不了机', '转人工'], '您好，我是小王，请问手机现在能充上电吗？', '4');
  await served(['这个月话费怎么多扣了30块', '转人工'], '您好，我帮您查一下本月的扣费明细。', '5');
  await served(['手机卡顿怎么办', '没用', '转人工'], '您好，我们先看看存储空间还剩多少。', '2');

  mkdirSync(outDir, { recursive: true });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${server.url}/desk/reports?from=${today}&to=${today}&by=hour`);
  await page.locator('form.login input[name="login"]').fill('boss');
  await page.locator('form.login input[name="password"]').fill('pw-boss-123');
  await page.locator('form.login button[type="submit"]').click();
  await page.locator('[data-chart="intents"] canvas').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.mouse.move(1, 1);
  await page.screenshot({ path: outDir + 'reports.png' });
  console.log('wrote', outDir + 'reports.png');
  await context.close();
} finally {
  admin.close();
  wang.close();
  await browser.close();
  await server.close();
}
