/** The page's address: /desk/reports[/funnels|/inbox|/outage|/conversations/:id]?from&to&by. */
import type { Range } from './api.js';

export type Tab = 'overview' | 'funnels' | 'inbox' | 'outage';
export type Route = { tab: Tab; range: Range } | { tab: 'conversation'; sessionId: string; range: Range };

const BASE = '/desk/reports';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A China-time calendar day, `daysAgo` before today. */
export function chinaDay(daysAgo = 0, now = Date.now()): string {
  return new Date(now + 8 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

export function parseRoute(loc: { pathname: string; search: string }): Route {
  const q = new URLSearchParams(loc.search);
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  const range: Range = {
    from: DAY.test(from) ? from : chinaDay(6),
    to: DAY.test(to) ? to : chinaDay(0),
    by: q.get('by') === 'hour' ? 'hour' : 'day',
  };
  const rest = loc.pathname.startsWith(BASE) ? loc.pathname.slice(BASE.length).replace(/^\/+|\/+$/g, '') : '';
  const conv = /^conversations\/([^/]+)$/.exec(rest);
  if (conv) return { tab: 'conversation', sessionId: decodeURIComponent(conv[1]!), range };
  const tab = (['funnels', 'inbox', 'outage'] as const).find((t) => t === rest) ?? 'overview';
  return { tab, range };
}

export function routeHref(route: Route): string {
  const q = new URLSearchParams({ from: route.range.from, to: route.range.to, by: route.range.by });
  const path = route.tab === 'conversation' ? `/conversations/${encodeURIComponent(route.sessionId)}` : route.tab === 'overview' ? '' : `/${route.tab}`;
  return `${BASE}${path}?${q}`;
}
