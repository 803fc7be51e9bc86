/**
 * The main story of issue 5 in a real browser against a real kefu server:
 * the demo page, the bubble, 「手机开不了机」 → ticket and quick replies, a
 * reload that redraws the same transcript, and the rest of the conversation
 * through to the star rating. Asserts structure (chips, buttons, steps), not
 * the bot's exact sentences.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openPage, openWidget, say, widget } from './browser.js';
import { groups, readTranscript, waitDelivered } from './transcript.js';
import { useKefuAndBrowser } from './setup.js';

const env = useKefuAndBrowser();

/** Answers that move a troubleshooting dialog towards "solved" (and so to the rating). */
const TOWARDS_DONE = /^(已经?)?解决了|^好了|^可以了|^是的?$|^(yes|solved|resolved|it works)/i;

/** Answers that hand the chat to people: a call-back, an agent. */
const TOWARDS_PEOPLE = /人工|回电|转接|客服|human|agent|call/i;

/** Pick the current turn's quick replies until the rating control appears. */
async function answerUntilRating(page: Page): Promise<number> {
  const w = widget(page);
  for (let turn = 0; turn < 15; turn++) {
    if ((await w.activeStars.count()) > 0) return turn;
    const labels = await w.activeReplies.allTextContents();
    expect(labels.length, 'every turn before the rating offers quick replies').toBeGreaterThan(0);
    const done = labels.findIndex((l) => TOWARDS_DONE.test(l.trim()));
    // Short of "solved": "no damage" (water and drops lead to a service centre), else any
    // answer but one that asks for a person (this test has no desk).
    const none = labels.findIndex((l) => /^(都)?没有|^no\b|^neither/i.test(l.trim()));
    const pick = done >= 0 ? done : none >= 0 ? none : labels.findIndex((l) => !TOWARDS_PEOPLE.test(l.trim()));
    const sent = await w.users.count();
    await w.activeReplies.nth(Math.max(pick, 0)).click();
    await waitDelivered(page, sent);
  }
  throw new Error('no rating control after 15 turns');
}

describe('a conversation on the demo carrier page', () => {
  it('opens the demo page, resolves 「手机开不了机」 by quick replies, survives a reload, ends with a rating', async () => {
    const { page, errors } = await openPage(env.browser);
    await page.goto(env.server.url + '/');
    expect(await page.title()).toContain('星联通信');
    await expect.poll(() => page.locator('h1').textContent()).toContain('客户服务');

    const w = widget(page);
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('false');
    await openWidget(page);
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await w.panel.getAttribute('role')).toBe('dialog');
    expect(await w.panel.getAttribute('aria-label')).toBe('在线客服');
    // Focus moved into the composer.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id)).toBe('kefu-input');

    // Record whether the typing indicator shows while the turn is processed (it is brief).
    await page.evaluate(() => {
      const typing = document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelector<HTMLElement>('.kefu-typing')!;
      new MutationObserver(() => {
        if (!typing.hidden) typing.dataset.seen = 'yes';
      }).observe(typing, { attributes: true, attributeFilter: ['hidden'] });
    });
    await say(page, '手机开不了机');
    await waitDelivered(page, 0);
    expect(await w.typing.getAttribute('data-seen')).toBe('yes');
    expect(await w.typing.isHidden()).toBe(true);
    expect(await w.users.first().locator('.kefu-text').textContent()).toBe('手机开不了机');

    // The acknowledgement: a ticket chip on an `accept` step, and quick replies to go on with.
    await w.tickets.first().waitFor();
    const ticketId = await w.tickets.first().getAttribute('data-ticket-id');
    expect(ticketId).toMatch(/^T\d{8}-\d{4}$/);
    expect(await w.tickets.first().textContent()).toBe(`工单号 ${ticketId}`);
    expect(await w.host.locator('.kefu-row--bot:has(.kefu-ticket)').getAttribute('data-step')).toBe('accept');
    // The live buttons are exactly the newest question's.
    const newest = await w.bots.last().locator('.kefu-quick-reply').allTextContents();
    expect(newest.length).toBeGreaterThanOrEqual(2);
    expect(await w.activeReplies.allTextContents()).toEqual(newest);
    // Welcome, question, the replies: one avatar and one time stamp for each run of one author.
    const drawn = await groups(page);
    expect(drawn.map((g) => g.author)).toEqual(['bot', 'user', 'bot']);
    expect(drawn.map((g) => [g.avatars, g.times])).toEqual([[1, 1], [0, 1], [1, 1]]);
    expect(drawn[2]!.rows).toBeGreaterThanOrEqual(2);
    // The live region announced the bot's words.
    expect(await w.live.textContent()).toContain(await w.bots.last().locator('.kefu-text').textContent());

    // Reload: the same transcript is redrawn from the server, buttons of the current turn still live.
    const before = await readTranscript(page);
    const repliesBefore = await w.activeReplies.allTextContents();
    await page.reload();
    await openWidget(page);
    await w.tickets.first().waitFor();
    expect(await readTranscript(page)).toEqual(before);
    expect(await w.activeReplies.allTextContents()).toEqual(repliesBefore);

    // Carry on to the rating, clicking quick replies; past turns' buttons go inert.
    const turns = await answerUntilRating(page);
    expect(turns).toBeGreaterThan(0);
    const steps = (await readTranscript(page)).map((r) => r.step).filter(Boolean);
    expect(steps).toContain('accept');

    const rating = w.host.locator('.kefu-row--bot:has(.kefu-stars)').last();
    expect(await rating.getAttribute('data-step')).toBe('follow_up');
    expect(await rating.locator('.kefu-star').count()).toBe(5);
    expect(await rating.locator('.kefu-stars').getAttribute('aria-label')).toBe('满意度评分');
    expect(await rating.locator('.kefu-star').evaluateAll((s) => s.map((b) => b.getAttribute('aria-label')))).toEqual(['1 星', '2 星', '3 星', '4 星', '5 星']);
    // Past turns' buttons went inert: only the rating's own are live.
    expect(await w.activeReplies.count()).toBe(await rating.locator('.kefu-quick-reply').count());

    const botsBefore = await w.bots.count();
    const sent = await w.users.count();
    await rating.locator('.kefu-star[data-score="4"]').click();
    await waitDelivered(page, sent);
    expect(await rating.locator('.kefu-star--on').count()).toBe(4);
    expect(await rating.locator('.kefu-star:not([disabled])').count()).toBe(0);
    // The user's side of it says what was given, not a bare digit.
    expect(await w.users.last().locator('.kefu-text').textContent()).toBe('4 星');
    await expect.poll(() => w.bots.count()).toBeGreaterThan(botsBefore);

    // Redrawn after a reload, the stars still show the score given.
    await page.reload();
    await openWidget(page);
    const redrawn = w.host.locator('.kefu-row--bot:has(.kefu-stars)').last();
    await redrawn.waitFor();
    expect(await redrawn.locator('.kefu-star--on').count()).toBe(4);
    expect(await redrawn.locator('.kefu-star[aria-pressed="true"]').getAttribute('data-score')).toBe('4');

    expect(errors).toEqual([]);
  }, 60_000);
});
