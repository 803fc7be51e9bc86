/**
 * The outage watch reaches every desk, not only the admins' reports page: a
 * real server (real bot, SQLite file), an agent who is not an admin on
 * `/desk` over socket.io-client, and the desk page in real Chromium. A spike
 * of 没信号 from one carrier in one province raises an alert every desk sees at
 * once; an admin's notice replaces it there while it holds; ending it clears
 * the banner; a desk that connects later gets the same on connect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskOutageSchema, type DeskOutage } from '../../server/protocol.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { openPage } from '../widget/browser.js';
import { useKefuAndBrowser } from '../widget/setup.js';
import { assertAppBuilt } from '../helpers/built.js';


const env = useKefuAndBrowser();
let admin: AgentAtDesk;
let wang: AgentAtDesk;

beforeAll(async () => {
  assertAppBuilt('desk');
  admin = await agentAtDesk(env.server, 'boss', '主管', { role: 'admin' });
  wang = await agentAtDesk(env.server, 'wang', '小王');
});
afterAll(() => {
  admin?.close();
  wang?.close();
});

const adminApi = (path: string, body: unknown) =>
  fetch(`${env.server.url}/api/desk${path}`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-kefu-csrf': admin.csrf },
    body: JSON.stringify(body),
  });

/** The latest `outage` event an agent's desk received that satisfies `match`, parsed as the protocol says. */
const outageAt = async (a: AgentAtDesk, match: (o: DeskOutage) => boolean) => deskOutageSchema.parse(await a.latest<DeskOutage>('outage', match, 10_000));

async function signIn(login: string, password: string) {
  const { page, errors } = await openPage(env.browser);
  await page.goto(env.server.url + '/desk');
  await page.locator('form.login input[name="login"]').fill(login);
  await page.locator('form.login input[name="password"]').fill(password);
  await page.locator('form.login button[type="submit"]').click();
  await page.locator('.top .me').waitFor();
  return { page, errors };
}

describe('the outage watch on the desk', () => {
  it('shows an agent the alert, then the notice in force instead, then nothing once it ends', async () => {
    // Nothing yet: the desk is told so on connect.
    expect(await outageAt(wang, () => true)).toEqual({ notices: [], alerts: [] });
    const { page, errors } = await signIn('wang', 'pw-wang-123');
    try {
      await page.locator('.sidebar .queue').waitFor();
      expect(await page.locator('.outage-banner').count()).toBe(0);

      // Five users of China Mobile in Guangdong lose the network within minutes: a spike.
      for (let i = 0; i < 5; i++) {
        const c = await connect(env.server.url);
        await c.send('我是移动的，在广州，手机没信号了');
        c.close();
      }
      const alerted = await outageAt(wang, (o) => o.alerts.some((a) => a.province === '广东'));
      expect(alerted.alerts.find((a) => a.key === 'no_network|cmcc|广东')).toMatchObject({ intent: 'no_network', carrier: 'cmcc', province: '广东', current: 5 });
      const alertLine = page.locator('.outage-banner .outage-alert[data-alert="no_network|cmcc|广东"]');
      await alertLine.waitFor();
      expect(await alertLine.textContent()).toBe('疑似故障：广东中国移动“没信号”的报告激增：最近 15 分钟 5 起，平时约 0 起。');

      // An admin publishes a notice: every desk shows it at once, and it speaks for the alert's users.
      const endsAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
      const res = await adminApi('/outage/notices', { carrier: 'cmcc', province: '广东', endsAt });
      expect(res.status).toBe(200);
      const { notice } = (await res.json()) as { notice: { id: string; text: { zh: string; en: string } } };
      const published = await outageAt(wang, (o) => o.notices.some((n) => n.id === notice.id));
      expect(published.notices).toEqual([{ id: notice.id, intent: 'no_network', carrier: 'cmcc', province: '广东', endsAt, text: notice.text }]);
      const noticeLine = page.locator(`.outage-banner .outage-notice[data-notice="${notice.id}"]`);
      await noticeLine.waitFor();
      expect(await noticeLine.textContent()).toBe(`故障通知：${notice.text.zh}（机器人会先把这条通知告诉受影响的用户）`);
      expect(await page.locator('.outage-banner .outage-alert[data-alert="no_network|cmcc|广东"]').count()).toBe(0);
      // Who published it stays with the admins.
      expect(JSON.stringify(published)).not.toContain('boss');

      // In English, the notice's English text.
      await page.locator('.top button.lang').click();
      await page.locator('.outage-banner .outage-notice', { hasText: notice.text.en }).waitFor();
      expect(await noticeLine.textContent()).toBe(`Outage notice: ${notice.text.en} (the bot gives it first to the users it affects)`);
      await page.locator('.top button.lang').click();

      // A desk opened now gets the same on connect.
      const li = await agentAtDesk(env.server, 'li', '小李');
      try {
        expect((await outageAt(li, () => true)).notices.map((n) => n.id)).toEqual([notice.id]);
      } finally {
        li.close();
      }

      // Ended: gone from every desk; the alert, still holding, is shown again.
      expect(await (await adminApi(`/outage/notices/${notice.id}/end`, {})).json()).toEqual({ ok: true });
      const ended = await outageAt(wang, (o) => o.notices.length === 0);
      expect(ended.alerts.map((a) => a.key)).toContain('no_network|cmcc|广东');
      await noticeLine.waitFor({ state: 'detached' });
      await page.locator('.outage-banner .outage-alert[data-alert="no_network|cmcc|广东"]').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
