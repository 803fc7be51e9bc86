/**
 * Per-file fixture for the browser tests: one real kefu server and one
 * Chromium, started before the file's tests and closed after them.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startKefu } from './server.js';

export type Kefu = Awaited<ReturnType<typeof startKefu>>;

/** Registers the hooks; `server` may be replaced by a test that restarts it (and is then the one closed). */
export function useKefuAndBrowser(): { server: Kefu; browser: Browser } {
  const env = {} as { server: Kefu; browser: Browser };
  beforeAll(async () => {
    [env.server, env.browser] = await Promise.all([startKefu(), launchBrowser()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
