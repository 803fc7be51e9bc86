/** Reading the widget's transcript out of the page, for comparisons across reloads. */
import type { Page } from 'playwright-core';

export interface Row {
  role: string;
  text: string;
  step?: string;
  ticket?: string;
}

/** Every row of the transcript in order: role, text, step and ticket id. */
export function readTranscript(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const root = document.querySelector('#kefu-widget-host')?.shadowRoot;
    if (!root) return [];
    return [...root.querySelectorAll<HTMLElement>('.kefu-row')].map((row) => ({
      role: row.dataset.role ?? '',
      text: row.querySelector('.kefu-text')?.textContent ?? '',
      ...(row.dataset.step ? { step: row.dataset.step } : {}),
      ...(row.querySelector<HTMLElement>('.kefu-ticket')?.dataset.ticketId
        ? { ticket: row.querySelector<HTMLElement>('.kefu-ticket')?.dataset.ticketId }
        : {}),
    }));
  });
}

/** Wait until the n-th (0-based) user message has been acknowledged by the server. */
export async function waitDelivered(page: Page, n: number): Promise<void> {
  // Attached, not visible: the panel may be closed (messages sent through window.kefu).
  await page.locator('#kefu-widget-host .kefu-row--user').nth(n).and(page.locator('[data-status="sent"]')).waitFor({ state: 'attached' });
}

/**
 * Rows grouped as the user sees them: for each run of rows by one author, how
 * many avatars and time stamps show. Reads the layout, not the classes.
 */
export function groups(page: Page): Promise<{ author: string; rows: number; avatars: number; times: number }[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelector('#kefu-widget-host')!.shadowRoot!.querySelectorAll<HTMLElement>('.kefu-row')];
    const shown = (el: Element | null) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const out: { author: string; rows: number; avatars: number; times: number }[] = [];
    rows.forEach((row, i) => {
      const author = row.dataset.author ?? row.dataset.role ?? '';
      const continues = i > 0 && out[out.length - 1]!.author === author && rows[i - 1]!.nextElementSibling === row;
      if (!continues) out.push({ author, rows: 0, avatars: 0, times: 0 });
      const group = out[out.length - 1]!;
      group.rows++;
      if (shown(row.querySelector(':scope > .kefu-avatar'))) group.avatars++;
      if (shown(row.querySelector('time'))) group.times++;
    });
    return out;
  });
}
