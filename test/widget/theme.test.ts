/**
 * WCAG AA contrast of the real computed colours, in the default theme and
 * with a host's light accent colour: text 4.5:1 (titles, bubbles, time
 * stamps, placeholder, quick replies live, chosen and disabled, links and
 * list numbers in bubbles, the ticket chip, the counter), and 3:1 for the
 * parts that only have to be seen (borders, focus ring, stars).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addWidget, demoWithoutWidget, say, widget } from './browser.js';
import { measureContrast, type ContrastCheck } from './contrast.js';
import { waitDelivered } from './transcript.js';
import { useKefuAndBrowser } from './setup.js';

const env = useKefuAndBrowser();

const TEXT: Record<string, ContrastCheck> = {
  title: { selector: '.kefu-title' },
  subtitle: { selector: '.kefu-subtitle' },
  'bot text': { selector: '.kefu-row--bot .kefu-text' },
  'user text': { selector: '.kefu-row--user .kefu-text' },
  'time stamp': { selector: '.kefu-time' },
  'quick reply': { selector: '.kefu-quick-reply:not([disabled])' },
  'quick reply, chosen': { selector: '.kefu-quick-reply[aria-pressed="true"]' },
  'quick reply, disabled': { selector: '.kefu-quick-reply[disabled]:not([aria-pressed])' },
  'tel: link in a bubble': { selector: '.kefu-row--bot .kefu-text a[href^="tel:"]' },
  'list number': { selector: '.kefu-row--bot .kefu-text li', pseudo: '::marker' },
  'ticket chip': { selector: '.kefu-ticket' },
  placeholder: { selector: 'textarea.kefu-input', pseudo: '::placeholder' },
  'typed text': { selector: 'textarea.kefu-input' },
  counter: { selector: '.kefu-counter:not([hidden])' },
};

const UI: Record<string, ContrastCheck> = {
  'quick reply border': { selector: '.kefu-quick-reply:not([disabled])', prop: 'borderTopColor' },
  'input border': { selector: 'textarea.kefu-input', prop: 'borderTopColor' },
  'focus ring': { selector: ':focus-visible', prop: 'outlineColor' },
};

/**
 * A conversation that puts every measured part on screen: a hotline answer
 * (tel: links), a ticket, a picked quick reply and the next turn's (chosen,
 * disabled and live buttons), numbered steps; a long draft shows the counter.
 */
async function showEverything(page: Page): Promise<void> {
  const w = widget(page);
  await w.launcher.click();
  await w.host.locator('.kefu[data-connection="online"]').waitFor({ state: 'attached' });
  await say(page, '中国移动的客服电话是多少');
  await waitDelivered(page, 0);
  await say(page, '手机开不了机');
  await waitDelivered(page, 1);
  await w.activeReplies.first().waitFor();
  await w.activeReplies.filter({ hasText: '进过水' }).click();
  await waitDelivered(page, 2);
  await w.host.locator('.kefu-row--bot .kefu-text li').first().waitFor();
  await w.activeReplies.first().waitFor();
  // The focus ring, shown by keyboard focus on a live quick reply; the pointer out of the way.
  await page.mouse.move(1, 1);
  await w.activeReplies.first().focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
}

async function ratios(page: Page): Promise<{ text: Record<string, number | null>; ui: Record<string, number | null> }> {
  const w = widget(page);
  const ui = await measureContrast(page, UI);
  await w.input.fill('好'.repeat(450));
  const text = await measureContrast(page, TEXT);
  // The placeholder is measured on the empty box, as users see it.
  await w.input.fill('');
  text.placeholder = (await measureContrast(page, { placeholder: TEXT.placeholder! })).placeholder!;
  return { text, ui };
}

function expectAA({ text, ui }: Awaited<ReturnType<typeof ratios>>): void {
  for (const [name, ratio] of Object.entries(text)) {
    expect(ratio, `${name} is on screen`).not.toBeNull();
    expect(ratio, name).toBeGreaterThanOrEqual(4.5);
  }
  for (const [name, ratio] of Object.entries(ui)) {
    expect(ratio, `${name} is on screen`).not.toBeNull();
    expect(ratio, name).toBeGreaterThanOrEqual(3);
  }
}

describe('contrast', () => {
  it('passes WCAG AA in the default theme', async () => {
    const page = await demoWithoutWidget(env.browser, env.server.url, { reducedMotion: 'reduce' });
    await addWidget(page, { server: '' });
    await showEverything(page);
    expectAA(await ratios(page));
  }, 30_000);

  it.each(['#ffd000', '#7fdbff'])('keeps quick replies, links, list numbers and the focus ring readable on a light accent (%s)', async (color) => {
    const page = await demoWithoutWidget(env.browser, env.server.url, { reducedMotion: 'reduce' });
    await addWidget(page, { server: '', color });
    await showEverything(page);
    expectAA(await ratios(page));
    // Still the brand's hue, darkened only as far as needed, not black.
    const ink = await widget(page).host.locator('.kefu').evaluate((el) => getComputedStyle(el).getPropertyValue('--kefu-accent-ink'));
    expect(ink).not.toMatch(/^#(000000|111111)$/);
  }, 30_000);

  it('has hover effects only with a real pointer: on a touch screen a tapped spot does not leave a button filled', async () => {
    const hovered = async (options: Parameters<typeof demoWithoutWidget>[2]) => {
      const page = await demoWithoutWidget(env.browser, env.server.url, { reducedMotion: 'reduce', ...options });
      await addWidget(page, { server: '' });
      const w = widget(page);
      await w.launcher.click();
      const reply = w.activeReplies.first();
      await reply.waitFor();
      const background = () => reply.evaluate((el) => getComputedStyle(el).backgroundColor);
      const before = await background();
      await reply.hover();
      return { before, after: await background() };
    };
    const mouse = await hovered({});
    expect(mouse.after).not.toBe(mouse.before);
    const touch = await hovered({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    expect(touch.after).toBe(touch.before);
  }, 30_000);
});
