/**
 * Shared set-up for the widget's browser tests: Debian's Chromium driven by
 * playwright-core, and locators into the widget's (open) shadow root —
 * Playwright's CSS locators pierce open shadow roots.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const clientDir = fileURLToPath(new URL('../../client/', import.meta.url));

/**
 * The server serves client/dist/widget.js as built; testing a missing or stale
 * build would test old code, so say so instead (npm test builds it first).
 */
export function assertWidgetBuilt(): void {
  const built = join(clientDir, 'dist', 'widget.js');
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run \`npm run build:widget\` first`);
  }
  const sources = readdirSync(join(clientDir, 'src'), { recursive: true, encoding: 'utf8' });
  const newer = sources.filter((f) => statSync(join(clientDir, 'src', f)).mtimeMs > builtAt);
  if (newer.length > 0) throw new Error(`widget build is older than client/src/${newer[0]}: run \`npm run build:widget\``);
}

export function launchBrowser(): Promise<Browser> {
  assertWidgetBuilt();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (own localStorage) and page; page errors fail loudly via the returned list. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
  // Fail a wait with Playwright's own message well before vitest's test timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Locators for the parts of the widget the tests look at. */
export function widget(page: Page) {
  const host = page.locator('#kefu-widget-host');
  const bot = host.locator('.kefu-row--bot');
  return {
    host,
    launcher: host.locator('.kefu-launcher'),
    panel: host.locator('.kefu-panel'),
    input: host.locator('textarea.kefu-input'),
    sendButton: host.locator('.kefu-send'),
    banner: host.locator('.kefu-banner'),
    users: host.locator('.kefu-row--user'),
    bots: bot,
    tickets: host.locator('.kefu-ticket'),
    /** Quick-reply buttons still clickable (those of the current turn). */
    activeReplies: host.locator('.kefu-quick-reply:not([disabled])'),
    activeStars: host.locator('.kefu-star:not([disabled])'),
    typing: host.locator('.kefu-typing'),
    live: host.locator('[aria-live="polite"].kefu-sr-only'),
    newConversation: host.locator('.kefu-new'),
  };
}

/**
 * Open the widget (unless it already is: a reload in the same tab keeps it
 * open) and wait until it is connected and the opening message(s) are shown.
 */
export async function openWidget(page: Page): Promise<ReturnType<typeof widget>> {
  const w = widget(page);
  // The open state is restored as the widget mounts, so it is final once the launcher exists.
  await w.launcher.waitFor({ state: 'attached' });
  if ((await w.launcher.getAttribute('aria-expanded')) !== 'true') await w.launcher.click();
  // The root itself has no box (its children are position: fixed), so wait for attachment.
  await w.host.locator('.kefu[data-open="true"][data-connection="online"]').waitFor({ state: 'attached' });
  await w.panel.waitFor();
  await w.bots.first().waitFor();
  return w;
}

/** Type into the widget and press Enter. */
export async function say(page: Page, text: string): Promise<void> {
  const w = widget(page);
  await w.input.fill(text);
  await w.input.press('Enter');
}

/**
 * The demo page with its own widget tag blocked, so a test can look at the
 * page before the widget arrives and then add it with `addWidget`.
 */
export async function demoWithoutWidget(browser: Browser, serverUrl: string, options: BrowserContextOptions = {}): Promise<Page> {
  const { page } = await openPage(browser, options);
  await page.route('**/widget.js', (route) => route.abort());
  await page.goto(serverUrl + '/');
  await page.unroute('**/widget.js');
  return page;
}

/** Add the widget's one-line embed with these data- attributes and wait for `window.kefu`. */
export async function addWidget(page: Page, data: Record<string, string>): Promise<void> {
  await page.evaluate((data) => {
    const script = document.createElement('script');
    script.src = '/widget.js';
    script.async = true;
    for (const [k, v] of Object.entries(data)) script.setAttribute(`data-${k}`, v);
    document.body.appendChild(script);
  }, data);
  await page.waitForFunction(() => 'kefu' in window);
}
