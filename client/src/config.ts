/** Reads the widget's options from its own `<script>` tag's data- attributes. */
import { pickLocale, type Locale } from './i18n.js';

export interface WidgetConfig {
  /** Origin of the kefu server (Socket.IO endpoint). */
  server: string;
  title?: string;
  /** The host's brand (「星联通信」); its first letter is the assistant's default face. */
  brand?: string;
  /** Accent colour, `#rgb` or `#rrggbb`. */
  color: string;
  /** Avatar image URL (http/https only). */
  avatar?: string;
  position: 'left' | 'right';
  locale: Locale;
  startOpen: boolean;
}

/** Default accent: white text on it has a 6.2:1 contrast ratio (WCAG AA). */
export const DEFAULT_COLOR = '#0b5cad';

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Build the config from the script element. A missing or empty `data-server`
 * means the origin the script itself was loaded from, so the one-line embed on
 * the kefu server's own demo page needs no URL.
 */
export function readConfig(script: HTMLScriptElement | null, doc: Document, browserLangs: readonly string[]): WidgetConfig {
  const data = script?.dataset ?? {};
  const base = script?.src ? script.src : doc.baseURI;
  return {
    server: resolveServer(data.server, base),
    title: data.title?.trim() || undefined,
    brand: data.brand?.trim() || undefined,
    color: data.color && HEX_COLOR.test(data.color.trim()) ? data.color.trim() : DEFAULT_COLOR,
    avatar: safeHttpUrl(data.avatar, doc.baseURI),
    position: data.position === 'left' ? 'left' : 'right',
    locale: pickLocale(data.locale, doc.documentElement.lang, browserLangs),
    startOpen: data.open !== undefined && data.open !== 'false',
  };
}

function resolveServer(value: string | undefined, base: string): string {
  const url = safeHttpUrl(value?.trim() || base, base);
  return url ? new URL(url).origin : new URL(base).origin;
}

function safeHttpUrl(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The red, green and blue channels (0–255) of `#rgb`/`#rrggbb`. */
function channels(hex: string): [number, number, number] {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  return [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance of `#rgb`/`#rrggbb`. */
function luminance(hex: string): number {
  const rgb = channels(hex);
  const channel = (i: number) => {
    const v = rgb[i]! / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1–21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `hex` (so a host's light accent keeps AA contrast). */
export function textColorOn(hex: string): string {
  // Contrast with white is 1.05/(L+0.05); with black (L+0.05)/0.05. Pick the larger.
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111111';
}

/** The widget's lightest surface an accent-coloured text or outline sits on (the transcript's grey). */
export const INK_BACKGROUND = '#f5f6f8';

/**
 * The accent as a colour for text, borders and focus rings on the widget's light
 * surfaces (quick replies, links, list numbers): the accent itself when it has
 * 4.5:1 against them, else the accent darkened just enough. A yellow brand
 * colour stays recognisably its hue instead of vanishing on white.
 */
export function accentInk(hex: string): string {
  const rgb = channels(hex);
  for (let keep = 1; keep > 0; keep -= 0.02) {
    const candidate = '#' + rgb.map((v) => Math.round(v * keep).toString(16).padStart(2, '0')).join('');
    if (contrast(candidate, INK_BACKGROUND) >= 4.5) return candidate;
  }
  return '#000000';
}
