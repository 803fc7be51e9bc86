/**
 * WCAG contrast of the widget's real computed colours, read out of the page:
 * the colour of an element (or its ::placeholder / ::marker, or a border or
 * outline colour) against the background actually behind it — the first
 * opaque background at or above it, with translucent layers and opacity
 * blended in, as a reader sees it.
 */
import type { Page } from 'playwright-core';

export interface ContrastCheck {
  /** CSS selector inside the widget's shadow root (the first match is measured). */
  selector: string;
  pseudo?: '::placeholder' | '::marker';
  /** Which colour: the text colour by default. */
  prop?: 'color' | 'borderTopColor' | 'outlineColor';
}

/** Ratio per name; `null` when the selector matched nothing (so a test can insist it exists). */
export function measureContrast(page: Page, checks: Record<string, ContrastCheck>): Promise<Record<string, number | null>> {
  return page.evaluate((checks) => {
    const root = document.querySelector('#kefu-widget-host')!.shadowRoot!;
    type Rgba = [number, number, number, number];
    const parse = (s: string): Rgba => {
      const [r = 0, g = 0, b = 0, a = 1] = (s.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, a];
    };
    const over = (fg: Rgba, bg: Rgba): Rgba => [0, 1, 2].map((i) => fg[i]! * fg[3] + bg[i]! * (1 - fg[3])).concat(1) as Rgba;
    const lum = ([r, g, b]: Rgba) => {
      const c = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const up = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null);
    const background = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = up(e)) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.unshift(c);
        if (c[3] === 1) break;
      }
      return layers.reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1] as Rgba);
    };
    const opacity = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = up(e)) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const out: Record<string, number | null> = {};
    for (const [name, check] of Object.entries(checks)) {
      const el = root.querySelector(check.selector);
      if (!el) {
        out[name] = null;
        continue;
      }
      const bg = background(el);
      const fg = parse(getComputedStyle(el, check.pseudo ?? null)[check.prop ?? 'color']);
      fg[3] *= opacity(el);
      const [a, b] = [lum(over(fg, bg)), lum(bg)];
      out[name] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }
    return out;
  }, checks);
}
